import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { apiClient, type Api } from './api-client.js';
import { CommissionTab } from './commission-tab.js';
import { DevSignIn } from './dev-sign-in.js';
import { Loading, Shell } from './shell.js';
import { connectToHost, teamsToken, type Host, type TeamsTheme } from './teams.js';

function App() {
  const [host, setHost] = useState<Host>();
  const [theme, setTheme] = useState<TeamsTheme>('default');
  const [api, setApi] = useState<Api>();
  useEffect(() => {
    void connectToHost().then((connected) => {
      setHost(connected);
      setTheme(connected.theme);
      connected.onThemeChange(setTheme);
      if (connected.inTeams) setApi(() => apiClient(teamsToken));
    });
  }, []);
  const academy = new URLSearchParams(window.location.search).get('academy') ?? undefined;
  return (
    <Shell theme={theme}>
      {!host ? (
        <Loading label="Opening Commissions…" />
      ) : !api ? (
        <DevSignIn onSignedIn={(token) => setApi(() => apiClient(() => Promise.resolve(token)))} />
      ) : (
        <CommissionTab api={api} academyId={academy} openCommissionId={host.subPageId} />
      )}
    </Shell>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
