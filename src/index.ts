import { ConfigError, loadConfig } from './config.js';
import { createDevelopmentHub, type DevelopmentHub } from './app.js';
import { GraphConfigurationError } from './graph/graph-client.js';
import { TrustDataError } from './trust/load-trust-profile.js';
import { preloadedFeatures } from './features/preloaded-features.js';

// Composition root: config → app → listen; stop cleanly when App Service (or Ctrl+C) says so.
async function main(): Promise<void> {
  let hub: DevelopmentHub | undefined;
  let stopRequested: string | undefined;

  const stop = (signal: string): void => {
    if (stopRequested) return;
    stopRequested = signal;
    // Still starting (e.g. mid-migration): let start-up finish, then close below.
    if (!hub) return;
    console.log(`${signal} received: finishing in-flight requests and closing the database`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    hub.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  try {
    const config = loadConfig();
    hub = await createDevelopmentHub(config, { extraFeatures: preloadedFeatures() });
  } catch (error) {
    // A wrong environment variable, trust profile or Graph setting: one sentence naming it.
    if (error instanceof ConfigError || error instanceof TrustDataError || error instanceof GraphConfigurationError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (stopRequested) {
    const signal = stopRequested;
    stopRequested = undefined;
    stop(signal);
    return;
  }
  await hub.listen();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
