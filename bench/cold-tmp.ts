import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from '/work/wt-12/bench/cpd/app-process.js';
import { post } from '/work/wt-12/bench/cpd/load.js';
import { teamsActivities, teamsPerson } from '/work/wt-12/tests/support/activities.js';
import { ConnectorStandIn } from '/work/wt-12/tests/support/connector-stand-in.js';
const connector = await ConnectorStandIn.start();
const acts = teamsActivities({ serviceUrl: connector.serviceUrl });
const p = teamsPerson('Probe');
const dir = path.join(mkdtempSync(path.join(tmpdir(), 'cold-')), 'data');
const env: Record<string,string> = process.env.PGURL ? { DATABASE_URL: process.env.PGURL, SAMPLE_DATA: 'on' } : { DATA_DIR: dir, SAMPLE_DATA: 'on' };
for (const label of ['empty', 'reused']) {
  const { app, coldStartMs } = await startApp({ viaNpm: process.env.NPM === '1', env, preload: process.env.PRELOAD ? [process.env.PRELOAD] : [] }, async (u) => { await post(u, acts.message({ text: 'hello', from: p })); return true; });
  await new Promise((r) => setTimeout(r, 3000));
  console.log(label, 'cold ms', coldStartMs.toFixed(0), 'rss', app.rssMb().toFixed(0), 'peak', app.peakRssMb().toFixed(0));
  await app.stop();
}
await connector.close();
