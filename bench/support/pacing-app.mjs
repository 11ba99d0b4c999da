// The pacing bench's app process: the production build (dist/, compiled by `npm run build`) started
// exactly as src/index.ts starts it, plus one bench-only feature module passed as extraFeatures (the
// app's own extension point). Its job kind sends one bulk message to one stored conversation through
// the app's notifier, so every send takes the production path: outbox job → JobWorker → TeamsNotifier →
// SendPacer → CloudAdapter → the connector. Plain JavaScript so it runs on dist/ without a compiler.
import { createDevelopmentHub } from '../../dist/app.js';
import { loadConfig } from '../../dist/config.js';

export const PACING_BENCH_JOB = 'bench-pacing.send';

const benchPacingFeature = (ctx) => ({
  name: 'bench-pacing',
  jobs: {
    [PACING_BENCH_JOB]: {
      run: async (job) => {
        const { referenceKey, n } = job.payload;
        const outcome = await ctx.notifier.sendToConversation(referenceKey, { kind: 'text', text: `Pacing bench message ${n}` }, { priority: 'bulk' });
        if (outcome.kind !== 'sent') ctx.logger.warn({ jobId: job.id, code: outcome.reason }, 'bench send unreachable');
      },
    },
  },
});

const hub = await createDevelopmentHub(loadConfig(), { extraFeatures: [{ name: 'bench-pacing', build: benchPacingFeature }] });
process.on('SIGTERM', () => {
  void hub.close().then(() => process.exit(0));
});
await hub.listen();
