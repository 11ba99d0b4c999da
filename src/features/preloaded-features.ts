import type { FeatureFactory } from './feature-module.js';

/**
 * Feature modules handed in by a module that `node --import` loaded before the app (the benchmark's
 * echo baseline: `node --import ./bench/echo.feature.ts dist/index.js`), so the bench measures the
 * production entry point and build instead of an in-process copy of the app. The preloaded module
 * pushes `{ name, build }` onto this well-known global; whoever can pass --import can run any code
 * in the process anyway, so this opens nothing new. Without a preload the list is empty.
 */
export const PRELOADED_FEATURES_KEY = Symbol.for('development-hub.preloaded-features');

export function preloadedFeatures(): Array<{ name: string; build: FeatureFactory }> {
  const value: unknown = (globalThis as Record<symbol, unknown>)[PRELOADED_FEATURES_KEY];
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is { name: string; build: FeatureFactory } =>
      typeof (entry as { name?: unknown }).name === 'string' && typeof (entry as { build?: unknown }).build === 'function',
  );
}
