import { startApp } from './app-process.js';
import type { BenchStore } from './bench-data.js';

/** What bench/support/memory-probe.mjs reports from inside the app's process. */
export interface MemoryReport {
  rssMb: number;
  heapTotalMb: number;
  heapUsedMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  wasmHeapMb: number;
  wasmResidentMb: number;
  fileBackedMb: number;
}

const REPORT = /DEVHUB_MEMORY (\{.*\})/;

/**
 * The app as the reused-folder cold start runs it (`node dist/index.js`, with the probe preloaded),
 * idle `idleMs` after its first answer: asked for its memory by SIGUSR2, then stopped.
 */
export async function idleMemory(
  store: BenchStore,
  firstAnswer: (baseUrl: string) => Promise<boolean>,
  idleMs: number,
): Promise<MemoryReport> {
  const { app } = await startApp({ preload: ['./bench/support/memory-probe.mjs'], env: { ...store.appEnv, SAMPLE_DATA: 'on' } }, firstAnswer);
  try {
    await new Promise((r) => setTimeout(r, idleMs));
    process.kill(app.pid, 'SIGUSR2');
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = REPORT.exec(app.output());
      if (found) return JSON.parse(found[1] ?? '{}') as MemoryReport;
      if (Date.now() > deadline) throw new Error(`the app sent no memory report:\n${app.output().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await app.stop();
  }
}

/** One Markdown table: where the idle resident set goes. */
export function memoryTable(m: MemoryReport, wasm: boolean): string {
  const rest = m.rssMb - m.heapTotalMb - m.wasmResidentMb - m.fileBackedMb;
  const mb = (n: number): string => n.toFixed(0);
  return [
    '| Idle app process, reused folder | MB | What it is |',
    '|---|---:|---|',
    `| Resident set (RSS) | ${mb(m.rssMb)} | everything below |`,
    `| V8 heap, committed | ${mb(m.heapTotalMb)} | JS objects and compiled JS (${mb(m.heapUsedMb)} MB in use) |`,
    ...(wasm ? [`| PGlite WASM heap, resident | ${mb(m.wasmResidentMb)} | Postgres's own memory (${mb(m.wasmHeapMb)} MB reserved; untouched pages cost nothing) |`] : []),
    `| File-backed pages | ${mb(m.fileBackedMb)} | the node executable and libraries |`,
    `| The rest | ${mb(rest)} | native allocations: buffers (${mb(m.arrayBuffersMb)} MB ArrayBuffers), ${wasm ? 'WASM code, ' : ''}compiler and GC zones |`,
  ].join('\n');
}
