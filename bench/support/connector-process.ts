/**
 * The connector stand-in as its own process, for benches (bench/support/processes.ts starts it):
 * prints one JSON line {"serviceUrl": "http://127.0.0.1:<port>/"} and serves until SIGTERM.
 * STAND_IN_APP_LIMITS / STAND_IN_CONVERSATION_LIMITS use the app's own format ('50/1s',
 * '7/1s,8/2s,60/30s,1800/1h'); empty means not enforced. Counters: GET <serviceUrl>_stand-in/counters.
 */
import { parseSendWindows } from '../../src/config.js';
import { ConnectorStandIn } from '../../tests/support/connector-stand-in.js';

function windows(name: string): Array<{ limit: number; windowMs: number }> | undefined {
  const value = process.env[name]?.trim();
  if (!value) return undefined;
  const parsed = parseSendWindows(value);
  if (!parsed) {
    console.error(`${name} must look like 50/1s or 7/1s,60/30s (got "${value}")`);
    process.exit(2);
  }
  return parsed;
}

const standIn = await ConnectorStandIn.start({ port: Number(process.env.STAND_IN_PORT ?? 0) });
const app = windows('STAND_IN_APP_LIMITS');
const conversation = windows('STAND_IN_CONVERSATION_LIMITS');
standIn.enforceLimits({ ...(app ? { app } : {}), ...(conversation ? { conversation } : {}) });
// Every call is recorded for tests; a bench process only needs the counters, so keep memory flat.
setInterval(() => standIn.clear(), 5_000).unref();
console.log(JSON.stringify({ serviceUrl: standIn.serviceUrl }));

process.on('SIGTERM', () => {
  void standIn.close().then(() => process.exit(0));
});
