/** Types for scripts/build-if-stale.mjs, which the test setup, `npm run dev` and the bench import. */
export declare const BUILDS: ReadonlyArray<{ name: string; inputs: string[]; skip?: string[]; output: string; command: string[] }>;
export declare function buildIfStale(names?: readonly string[], options?: { all?: boolean; log?: (line: string) => void }): string[];
