import { describe, expect, it } from 'vitest';
import { BoundedMemo } from '../../src/shared/bounded-memo.js';

describe('a bounded memo', () => {
  it('works an answer out once per key, and again only after it was emptied at its limit', () => {
    const memo = new BoundedMemo<string>(3);
    const computed: string[] = [];
    const upper = (key: string) => memo.get(key, () => (computed.push(key), key.toUpperCase()));
    expect(['a', 'b', 'a', 'c', 'b'].map(upper)).toEqual(['A', 'B', 'A', 'C', 'B']);
    expect(computed).toEqual(['a', 'b', 'c']);
    // A fourth key finds it full: it starts again, so an earlier key is worked out afresh (same answer).
    expect([upper('d'), upper('a'), upper('d')]).toEqual(['D', 'A', 'D']);
    expect(computed).toEqual(['a', 'b', 'c', 'd', 'a']);
  });
});
