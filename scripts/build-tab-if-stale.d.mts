/** Types for build-tab-if-stale.mjs (a plain Node script npm and the test setup run). */
export function tabIsStale(): boolean;
export function buildTabIfStale(log?: (message: string) => void): boolean;
