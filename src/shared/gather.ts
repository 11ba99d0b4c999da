/**
 * Work that arrives together, handed over together: items added during one turn of the event loop
 * are flushed as one list when that turn ends (setImmediate), so a lone item waits for nothing. While
 * a flush runs, new items gather for the next one; at most `max` go in one flush.
 *
 * The gatherer only decides when and with what `flush` is called: each caller keeps its own promises
 * in its items and `flush` settles every item it is given. `flush` must not throw (a throw would
 * leave its items unsettled); the gatherer carries on with the next items regardless.
 */
export class Gatherer<T> {
  private readonly pending: T[] = [];
  private scheduled = false;
  private running = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly options: {
      max?: number;
      /** Called when the last flush finished and nothing is left to do. */
      onIdle?: () => void;
    } = {},
  ) {}

  add(item: T): void {
    this.pending.push(item);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length > 0) {
        await this.flush(this.pending.splice(0, this.options.max ?? this.pending.length)).catch(() => undefined);
      }
    } finally {
      this.running = false;
      this.options.onIdle?.();
    }
  }
}
