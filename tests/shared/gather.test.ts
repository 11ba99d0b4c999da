import { describe, expect, it } from 'vitest';
import { Gatherer } from '../../src/shared/gather.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Gatherer', () => {
  it('flushes what was added in one turn of the event loop together, and what came during a flush in the next', async () => {
    const flushed: number[][] = [];
    let release: () => void = () => undefined;
    const g = new Gatherer<number>(async (items) => {
      flushed.push(items);
      if (flushed.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    g.add(1);
    g.add(2);
    expect(flushed).toEqual([]); // nothing before the turn ends
    await tick();
    expect(flushed).toEqual([[1, 2]]);
    g.add(3);
    g.add(4);
    await tick();
    expect(flushed).toEqual([[1, 2]]); // the first flush is still running: these wait for it
    release();
    await tick();
    expect(flushed).toEqual([[1, 2], [3, 4]]);
  });

  it('hands over at most max items per flush, in the order they were added', async () => {
    const flushed: number[][] = [];
    const g = new Gatherer<number>(async (items) => void flushed.push(items), { max: 3 });
    for (let i = 1; i <= 7; i += 1) g.add(i);
    await tick();
    await tick();
    expect(flushed).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('says when it is idle, and keeps going after a flush that threw', async () => {
    const flushed: string[][] = [];
    let idle = 0;
    const g = new Gatherer<string>(
      async (items) => {
        flushed.push(items);
        if (items.includes('bad')) throw new Error('flush broke its contract');
      },
      { max: 1, onIdle: () => (idle += 1) },
    );
    g.add('bad');
    g.add('good');
    await tick();
    await tick();
    expect(flushed).toEqual([['bad'], ['good']]);
    expect(idle).toBe(1);
    g.add('later');
    await tick();
    expect(flushed.at(-1)).toEqual(['later']);
    expect(idle).toBe(2);
  });
});
