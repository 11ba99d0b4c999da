import { Dropdown, Field, Option, Text, Title3 } from '@fluentui/react-components';
import { StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { apiClient, ApiError } from './api-client.js';
import { ErrorState, Loading, Shell } from './shell.js';
import { configPage, connectToHost, teamsToken, type Host, type TeamsTheme } from './teams.js';
import type { Options } from './types.js';

/**
 * The channel tab's configuration page: the person picks the academy (leaders see only their own,
 * the Director of Education any). On Save the server records this channel as the academy's, so
 * status cards are posted here, and Teams points the tab at that academy's view.
 */
function ConfigPage() {
  const [host, setHost] = useState<Host>();
  const [theme, setTheme] = useState<TeamsTheme>('default');
  const [options, setOptions] = useState<Options>();
  const [academy, setAcademy] = useState('');
  const [error, setError] = useState<string>();
  const chosen = useRef('');
  const api = apiClient(teamsToken);

  useEffect(() => {
    void connectToHost().then(async (connected) => {
      setHost(connected);
      setTheme(connected.theme);
      connected.onThemeChange(setTheme);
      if (!connected.inTeams) return;
      try {
        const opts = await api<Options>('GET', 'commissions/options');
        setOptions(opts);
        const first = opts.academies.find((a) => a.canRaise)?.id ?? '';
        setAcademy(first);
        chosen.current = first;
        configPage.setValidityState(first !== '');
        configPage.registerOnSaveHandler((save) => {
          const channel = connected.channel;
          const academyId = chosen.current;
          const entityId = `commissions-${academyId}`;
          const link = channel ? api('PUT', 'commissions/channel', { academyId, teamId: channel.teamId, channelId: channel.channelId, entityId }) : Promise.resolve();
          link
            .then(() =>
              configPage.setConfig({
                entityId,
                contentUrl: `${window.location.origin}/tab/index.html?academy=${encodeURIComponent(academyId)}`,
                websiteUrl: `${window.location.origin}/tab/index.html?academy=${encodeURIComponent(academyId)}`,
                suggestedDisplayName: 'Commissions',
              }),
            )
            .then(() => save.notifySuccess())
            .catch((e: unknown) => {
              const message = e instanceof ApiError ? e.message : 'The tab could not be saved.';
              setError(message);
              save.notifyFailure(message);
            });
        });
      } catch (e) {
        setError(e instanceof ApiError ? e.message : 'The academies could not be loaded.');
      }
    });
  }, []);

  const raisable = options?.academies.filter((a) => a.canRaise) ?? [];
  return (
    <Shell theme={theme}>
      <Title3 as="h1">Add the Commissions tab</Title3>
      {!host ? (
        <Loading label="Connecting to Teams…" />
      ) : !host.inTeams ? (
        <p id="status">Open this page from Teams: it is the set-up page of the Commissions tab.</p>
      ) : error ? (
        <ErrorState title="The tab cannot be added yet" message={error} />
      ) : !options ? (
        <Loading label="Loading your academies…" />
      ) : raisable.length === 0 ? (
        <ErrorState title="No academy to choose" message="The Commissions tab is added by an academy's leaders or the Director of Education." />
      ) : (
        <>
          <Field label="Academy" hint="Commissions and their status cards for this academy appear in this channel.">
            <Dropdown
              value={raisable.find((a) => a.id === academy)?.name ?? ''}
              selectedOptions={[academy]}
              onOptionSelect={(_e, d) => {
                setAcademy(d.optionValue ?? '');
                chosen.current = d.optionValue ?? '';
                configPage.setValidityState(Boolean(d.optionValue));
              }}
            >
              {raisable.map((a) => (
                <Option key={a.id} value={a.id}>
                  {a.name}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Text block id="status" style={{ marginTop: 12 }}>
            Select Save to add the tab.
          </Text>
        </>
      )}
    </Shell>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigPage />
  </StrictMode>,
);
