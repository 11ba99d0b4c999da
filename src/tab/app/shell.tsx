import { Button, FluentProvider, MessageBar, MessageBarBody, MessageBarTitle, Spinner, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { TeamsTheme } from './teams.js';

const THEMES = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme } as const;

/** Fluent's Teams themes, following the host's theme as it changes. */
export function Shell({ theme, children }: { theme: TeamsTheme; children: ReactNode }) {
  return (
    <FluentProvider theme={THEMES[theme]} data-theme={theme} style={{ minHeight: '100vh', background: tokens.colorNeutralBackground2 }}>
      <main style={{ padding: tokens.spacingHorizontalXL, maxWidth: 1280, margin: '0 auto' }}>{children}</main>
    </FluentProvider>
  );
}

export function Loading({ label }: { label: string }) {
  return <Spinner label={label} labelPosition="below" style={{ marginTop: 48 }} />;
}

/** An error the person can read and act on: the API's sentence, and a retry where retrying can help. */
export function ErrorState({ title, message, onRetry }: { title: string; message: string; onRetry?: () => void }) {
  return (
    <MessageBar intent="error" role="alert" style={{ marginBlock: tokens.spacingVerticalM }}>
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {message}
      </MessageBarBody>
      {onRetry && (
        <Button appearance="transparent" onClick={onRetry}>
          Try again
        </Button>
      )}
    </MessageBar>
  );
}
