// Preloaded into the app's process by the CPD bench (`node --import ./bench/support/memory-probe.mjs
// dist/index.js`) to say where its idle memory goes. It changes nothing in the app: it notes each
// WebAssembly.Memory made (PGlite's heap) and, on SIGUSR2, writes one line to stderr:
// DEVHUB_MEMORY {json}. The WASM heap's resident part comes from /proc/self/smaps (V8 maps a memory as
// its buffer's size followed by a guard region of several GiB).
import { readFileSync } from 'node:fs';
import process from 'node:process';

const memories = [];
const wasm = globalThis.WebAssembly;
const Original = wasm.Memory;
wasm.Memory = new Proxy(Original, {
  construct(target, args) {
    const memory = Reflect.construct(target, args);
    memories.push(memory);
    return memory;
  },
});

const MB = 1024 * 1024;
const GUARD_MIN = 1024n * 1024n * 1024n;

/** Resident MB of each WebAssembly memory: its mapping is exactly the buffer's size, followed at once by V8's guard region. */
function wasmResidentMb() {
  const mappings = [];
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (range) mappings.push({ start: BigInt(`0x${range[1]}`), end: BigInt(`0x${range[2]}`), rssMb: 0 });
    else if (line.startsWith('Rss:') && mappings.length > 0) mappings[mappings.length - 1].rssMb = Number(line.split(/\s+/)[1]) / 1024;
  }
  const sizes = new Set(memories.map((m) => BigInt(m.buffer.byteLength)));
  let resident = 0;
  for (let i = 0; i + 1 < mappings.length; i += 1) {
    const [here, next] = [mappings[i], mappings[i + 1]];
    if (sizes.has(here.end - here.start) && next.start === here.end && next.end - next.start >= GUARD_MIN) resident += here.rssMb;
  }
  return resident;
}

process.on('SIGUSR2', () => {
  const usage = process.memoryUsage();
  const report = {
    rssMb: usage.rss / MB,
    heapTotalMb: usage.heapTotal / MB,
    heapUsedMb: usage.heapUsed / MB,
    externalMb: usage.external / MB,
    arrayBuffersMb: usage.arrayBuffers / MB,
    wasmHeapMb: memories.reduce((sum, m) => sum + m.buffer.byteLength, 0) / MB,
    wasmResidentMb: wasmResidentMb(),
    // Pages mapped from files: the node executable and shared libraries, mostly.
    fileBackedMb: Number(/RssFile:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN) / 1024,
  };
  process.stderr.write(`DEVHUB_MEMORY ${JSON.stringify(report)}\n`);
});
