import { app, authentication, pages } from '@microsoft/teams-js';

export type TeamsTheme = 'default' | 'dark' | 'contrast';

/** What the tab needs from its host: who and where it is, and a way to get a token for the API. */
export interface Host {
  inTeams: boolean;
  theme: TeamsTheme;
  /** The commission a deep link asked to open (TeamsJS page.subPageId, from the link's subEntityId). */
  subPageId: string | undefined;
  channel: { teamId: string; channelId: string } | undefined;
  frameContext: string | undefined;
  onThemeChange(handler: (theme: TeamsTheme) => void): void;
}

const asTheme = (value: string | undefined): TeamsTheme => (value === 'dark' || value === 'contrast' ? value : 'default');

/** Outside Teams (a plain browser: local runs), TeamsJS never answers; stop waiting after this long. */
const HOST_TIMEOUT_MS = 3000;

export async function connectToHost(): Promise<Host> {
  const query = new URLSearchParams(window.location.search);
  try {
    await Promise.race([app.initialize(), new Promise((_, reject) => setTimeout(() => reject(new Error('no Teams host')), HOST_TIMEOUT_MS))]);
    const context = await app.getContext();
    const teamId = context.team?.internalId;
    const channelId = context.channel?.id;
    return {
      inTeams: true,
      theme: asTheme(context.app.theme),
      subPageId: context.page.subPageId || undefined,
      channel: teamId && channelId ? { teamId, channelId } : undefined,
      frameContext: context.page.frameContext,
      onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(asTheme(theme))),
    };
  } catch {
    // A plain browser: the theme can be chosen with ?theme= to check the high-contrast look locally.
    return { inTeams: false, theme: asTheme(query.get('theme') ?? undefined), subPageId: query.get('commission') ?? undefined, channel: undefined, frameContext: undefined, onThemeChange: () => undefined };
  }
}

/**
 * The person's Entra token for this app's API (SSO). Teams caches and renews it, so the tab asks for
 * it before each call rather than keeping it. Nested App Authentication would replace only this function.
 */
export async function teamsToken(): Promise<string> {
  return authentication.getAuthToken();
}

export const configPage = pages.config;
