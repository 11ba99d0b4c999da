import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../config.js';
import { displayPath, TrustDataError } from '../trust/load-trust-profile.js';
import { DEV_USAGE, DevUsageError, parseDevCommand } from './dev/dev-options.js';
import { formatLogLine } from './dev/log-lines.js';
import { StartAborted, startLocalRun } from './dev/local-run.js';
import { startLocalGraph } from './dev/local-graph.js';
import { renderPlaygroundConfig } from './dev/playground-config.js';
import { PortBusyError, resolvePort } from './dev/ports.js';
import { AlreadyRunningError, claimDataDir } from './dev/run-lock.js';
import { defaultSamplePerson, findSamplePerson, formatPeopleList, loadSamplePeople } from './dev/sample-people.js';

/**
 * `npm run dev`: the app (embedded PostgreSQL, sample trust data, local mode) plus the Microsoft 365
 * Agents Playground pointed at it, signed in as a sample person. Ctrl+C stops both.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CREDENTIALS = ['BOT_ID', 'CLIENT_ID', 'BOT_PASSWORD', 'CLIENT_SECRET'] as const;

async function main(): Promise<number> {
  const command = parseDevCommand(process.argv.slice(2), process.env);
  if (command.kind === 'help') {
    console.log(DEV_USAGE);
    return 0;
  }

  // The playground calls the bot without a token, so the app must run in local mode.
  const ignored = CREDENTIALS.filter((name) => process.env[name]?.trim());
  const appEnv: NodeJS.ProcessEnv = { ...process.env, ...Object.fromEntries(CREDENTIALS.map((name) => [name, ''])) };
  appEnv.HOST = process.env.HOST?.trim() || '127.0.0.1';
  // The tab opens in a plain browser here (the playground hosts no tabs): sign in as a sample person.
  // Config refuses this next to production credentials; AAD_APP_CLIENT_ID is dropped for the same reason.
  appEnv.DEV_SIGN_IN = process.env.DEV_SIGN_IN === 'off' ? 'off' : 'on';
  appEnv.AAD_APP_CLIENT_ID = '';
  appEnv.GRAPH_CLIENT_ID = '';
  const config = loadConfig({ ...appEnv, PORT: String(command.kind === 'run' ? command.appPort.port : 0) });
  const people = loadSamplePeople(config.trustProfilePath);
  if (command.kind === 'list-people') {
    console.log(formatPeopleList(people));
    return 0;
  }

  const person = command.as === undefined ? defaultSamplePerson(people) : findSamplePerson(people, command.as);
  const appPort = await resolvePort('the app', command.appPort, '--port', appEnv.HOST);
  const playgroundPort = await resolvePort('the Agents Playground', command.playgroundPort, '--playground-port');
  for (const note of [appPort.note, playgroundPort.note]) if (note) console.log(note);
  if (ignored.length) console.log(`Ignoring ${ignored.join(', ')}: the Agents Playground talks to the bot without credentials.`);

  const workDir = path.join(root, 'devTools');
  mkdirSync(workDir, { recursive: true });
  const release = config.database.kind === 'embedded' ? claimDataDir(workDir, config.database.dataDir) : () => undefined;
  process.once('exit', release);
  // One file per playground port: two runs side by side (a second person, the e2e tests) must not
  // rewrite each other's config while the other playground is reading it.
  const playgroundConfigFile = path.join(workDir, `m365agentsplayground-${playgroundPort.port}.yml`);
  process.once('exit', () => rmSync(playgroundConfigFile, { force: true }));
  writeFileSync(
    playgroundConfigFile,
    renderPlaygroundConfig({ botName: 'Development Hub', teamName: `${people.trustShortName} staff`, currentUser: person, colleagues: people.people }),
  );

  // Microsoft Graph for the local run: the stand-in with the sample resource library (app-only search).
  const localGraph = await startLocalGraph(root, workDir, people.people);
  Object.assign(appEnv, localGraph.env);

  // The tab is served from its Vite build: build it when src/tab/ changed since the last build.
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-if-stale.mjs'), 'tab'], { cwd: root, stdio: 'inherit' });

  const database = config.database.kind === 'embedded' ? `embedded PostgreSQL in ${displayPath(config.database.dataDir)}` : 'PostgreSQL at DATABASE_URL';
  console.log(`Starting Development Hub (${database}) and the Microsoft 365 Agents Playground…`);

  // Listen for stop requests from the start, so Ctrl+C while the app is still starting also stops it.
  const stopRequested = new AbortController();
  let stopMessage = 'Stopping the app and the Agents Playground…';
  const requestStop = (message: string): void => {
    if (stopRequested.signal.aborted) return;
    stopMessage = message;
    stopRequested.abort();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => requestStop('Stopping the app and the Agents Playground…'));
  }
  // `npm run` starts us through sh, which dies on SIGTERM without passing it on: notice being
  // orphaned and stop the children rather than leave them holding the ports and the database.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) requestStop('npm run dev was stopped; stopping the app and the Agents Playground…');
  }, 1000).unref();

  const run = await startLocalRun({
    root,
    appEnv,
    appHost: appEnv.HOST,
    appPort: appPort.port,
    playgroundPort: playgroundPort.port,
    playgroundConfigFile,
    playgroundLogFile: path.join(workDir, 'm365agentsplayground.log'),
    openBrowser: command.openBrowser,
    signal: stopRequested.signal,
    onAppLine: (line) => console.log(`[app] ${formatLogLine(line)}`),
    onPlaygroundLine: (line) => {
      if (!/^Listening on \d+$/.test(line)) console.log(`[playground] ${line}`);
    },
  });

  console.log('');
  console.log(`Open ${run.playgroundUrl} to chat with Development Hub as ${person.displayName} (${person.description})`);
  console.log(`  bot endpoint ${run.endpoint} · act as someone else: npm run dev -- --as <key> (--list-people) · Ctrl+C stops both`);
  console.log(`Open ${run.endpoint.replace(/\/api\/messages$/, '')}/tab/index.html for the Commissions tab in a browser (local sign-in as any sample person)`);
  console.log('');

  const stopped = new Promise<number>((resolve) => {
    stopRequested.signal.addEventListener('abort', () => resolve(0), { once: true });
  });
  const exited = run.exited.then((exit) => {
    const which = exit.who === 'app' ? 'The app' : 'The Agents Playground';
    const how = exit.signal ? `was stopped by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
    const words = exit.code === 0 || exit.lastOutput.length === 0 ? '' : `\nIts last output:\n  ${exit.lastOutput.join('\n  ')}`;
    stopMessage = `${which} ${how}; stopping the other one.${words}`;
    return exit.code === 0 ? 0 : 1;
  });
  const code = await Promise.race([stopped, exited]);
  console.log(stopMessage);
  await run.stop();
  await localGraph.close();
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof StartAborted) {
      console.log('Stopped before the app was ready.');
      process.exit(0);
    }
    const expected = [DevUsageError, ConfigError, TrustDataError, PortBusyError, AlreadyRunningError].some((kind) => error instanceof kind);
    console.error(expected ? (error as Error).message : error);
    process.exit(1);
  },
);
