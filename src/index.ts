import { ConfigError, loadConfig } from './config.js';
import { createDevelopmentHub } from './app.js';
import { GraphConfigurationError } from './graph/graph-client.js';
import { TrustDataError } from './trust/load-trust-profile.js';

// Composition root: config → app → listen; stop cleanly when App Service (or Ctrl+C) says so.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  let hub;
  try {
    hub = await createDevelopmentHub(config);
  } catch (error) {
    // A wrong trust profile or Graph setting: one sentence naming the field, no stack trace.
    if (error instanceof TrustDataError || error instanceof GraphConfigurationError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  await hub.listen();
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
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
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
