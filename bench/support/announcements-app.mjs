// The announcements bench's app process: the production build (dist/) started as src/index.ts starts
// it, plus the bench's echo intent (the same as bench/echo.feature.ts, in plain JavaScript so it runs
// on dist/ without a compiler) as the baseline chat turn. Announcements take the production path:
// card press → start job → recipient rows → deliver jobs → TeamsNotifier → SendPacer → connector.
import { createDevelopmentHub } from '../../dist/app.js';
import { loadConfig } from '../../dist/config.js';

const ECHO_MARKER = 'echo ';
const echoFeature = () => ({
  name: 'echo',
  intents: [
    {
      name: 'echo.echo',
      score: (message) => (message.text.startsWith(ECHO_MARKER) ? 1 : 0),
      suggest: () => ({ title: 'Echo', prompt: ECHO_MARKER.trim() }),
      handle: (_turn, message) => Promise.resolve([{ kind: 'text', text: message.text.slice(ECHO_MARKER.length) }]),
    },
  ],
});

const hub = await createDevelopmentHub(loadConfig(), { extraFeatures: [{ name: 'echo', build: echoFeature }] });
process.on('SIGTERM', () => {
  void hub.close().then(() => process.exit(0));
});
await hub.listen();
