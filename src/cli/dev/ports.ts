import net from 'node:net';
import type { PortChoice } from './dev-options.js';

export class PortBusyError extends Error {
  override name = 'PortBusyError';
}

/** True when nothing listens on `port` at `host` (undefined host = every interface, as the playground binds). */
export function isPortFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** A port the operating system says is free right now. */
export function freePort(host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface ResolvedPort {
  port: number;
  /** Set when a busy default port was swapped for a free one. */
  note: string | undefined;
}

/**
 * The port to use for `what`: the chosen one when free; a busy port the user chose is an error
 * that says how to pick another; a busy default is replaced by a free port, with a note to print.
 */
export async function resolvePort(what: string, choice: PortChoice, flag: string, host?: string): Promise<ResolvedPort> {
  if (await isPortFree(choice.port, host)) return { port: choice.port, note: undefined };
  if (choice.explicit) {
    throw new PortBusyError(
      `Port ${choice.port} for ${what} (from ${choice.source}) is already in use: stop whatever is using it, or choose another with ${flag} <n>.`,
    );
  }
  const port = await freePort(host);
  return { port, note: `Port ${choice.port} for ${what} is busy, so it is using port ${port} instead (choose one with ${flag} <n>).` };
}
