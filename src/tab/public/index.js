// The personal tab ("My Development Hub") and, with ?context=channel, the channel tab that
// config.html sets up. Both are placeholders until the React tab replaces them.
'use strict';

const inChannel = new URLSearchParams(window.location.search).get('context') === 'channel';
if (inChannel) {
  document.title = 'Development Hub';
  document.getElementById('personal').hidden = true;
  document.getElementById('channel').hidden = false;
  for (const item of document.querySelectorAll('[data-personal]')) item.hidden = true;
}
window.developmentHub.start().catch(() => undefined);
