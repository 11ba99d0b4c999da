// Configuration page of the channel / group-chat tab (configurableTabs in the Teams manifest).
// Teams shows it when someone adds the tab; Save stores where the tab's content lives.
'use strict';

const ENTITY_ID = 'development-hub-channel';
const statusLine = document.getElementById('status');

async function configure() {
  const context = await window.developmentHub.start();
  if (!context) {
    statusLine.textContent = 'Open this page from Teams (Add a tab → Development Hub) to add the tab.';
    return;
  }
  const teams = window.microsoftTeams;
  teams.pages.config.registerOnSaveHandler((saveEvent) => {
    const contentUrl = `${window.location.origin}/tab/index.html?context=channel`;
    teams.pages.config
      .setConfig({ entityId: ENTITY_ID, contentUrl, websiteUrl: contentUrl, suggestedDisplayName: 'Development Hub' })
      .then(
        () => saveEvent.notifySuccess(),
        (error) => saveEvent.notifyFailure(error instanceof Error ? error.message : String(error)),
      );
  });
  // Nothing to choose yet, so the page is valid as soon as it loads.
  teams.pages.config.setValidityState(true);
  statusLine.textContent = 'Select Save to add the tab.';
}

configure().catch((error) => {
  statusLine.textContent = `The tab could not be set up: ${error instanceof Error ? error.message : String(error)}`;
});
