/** Types for scripts/bundle-server.mjs, which its test imports. */
export declare const DEFERRED_REQUIRES: ReadonlyArray<readonly [file: string, statement: string]>;
/** The source of dist/index.js: turns on the compile cache, then imports ./bundle.js. */
export declare const LAUNCHER: string;
export declare const MALLOC_TRIM_THRESHOLD: string;
export declare function deferRequire(source: string, statement: string): string;
export declare function bundleServer(): Promise<void>;
/** Modules the bundle takes from npm instead of Node's deprecated built-ins. */
export declare const ALIASES: Readonly<Record<string, string>>;
