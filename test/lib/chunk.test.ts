import { describe, expect, it } from 'vitest';
import { chunk } from '../../lib/chunk.ts';

describe('chunk', () => {
  it('given 7 items and a size of 3, when chunked, then batches of 3, 3 and 1 in order', () => {
    expect(chunk([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('given no items, when chunked, then no batches (not one empty batch)', () => {
    expect(chunk([], 100)).toEqual([]);
  });

  it('given a size that is not a positive integer, when chunked, then it refuses instead of looping forever', () => {
    expect(() => chunk([1], 0)).toThrow(RangeError);
    expect(() => chunk([1], 1.5)).toThrow(RangeError);
  });
});
