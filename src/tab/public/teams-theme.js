// Shared by the tab pages: starts TeamsJS (window.microsoftTeams, vendored UMD build) and keeps
// the page's colours in step with the Teams theme. Outside Teams the page still renders.
'use strict';

window.developmentHub = {
  /** Resolves with the Teams context, or null when the page is not running inside Teams. */
  async start() {
    const teams = window.microsoftTeams;
    if (!teams) return null;
    const applyTheme = (theme) => {
      document.documentElement.dataset.theme = theme === 'dark' || theme === 'contrast' ? theme : 'default';
    };
    try {
      await teams.app.initialize();
    } catch {
      return null; // not hosted by Teams (opened in a plain browser)
    }
    const context = await teams.app.getContext();
    applyTheme(context.app && context.app.theme);
    teams.app.registerOnThemeChangeHandler(applyTheme);
    return context;
  },
};
