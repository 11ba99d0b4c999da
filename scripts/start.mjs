// `npm start`: the staleness check and the app in one process. The check (scripts/build-if-stale.mjs)
// rebuilds dist/ only when a source changed; the app is then the production entry, dist/index.js,
// imported here rather than started as a second process, which npm's prestart hook would have cost
// (a shell and a node start, ~0.1 s of every `npm start`). App Service runs `node dist/index.js` itself.
import { buildIfStale } from './build-if-stale.mjs';

buildIfStale();
await import('../dist/index.js');
