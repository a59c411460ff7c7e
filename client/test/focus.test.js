import { describe, expect, it } from 'vitest';
import { nextInRing } from '../src/focus.js';

describe('nextInRing', () => {
  it('goes forward and wraps past the last item to the first', () => {
    expect(nextInRing(3, 0, false)).toBe(1);
    expect(nextInRing(3, 2, false)).toBe(0);
  });
  it('goes backward and wraps before the first item to the last', () => {
    expect(nextInRing(3, 1, true)).toBe(0);
    expect(nextInRing(3, 0, true)).toBe(2);
  });
  it('brings focus from outside the ring to its first or last item', () => {
    expect(nextInRing(4, -1, false)).toBe(0);
    expect(nextInRing(4, -1, true)).toBe(3);
  });
  it('has nowhere to go in an empty ring', () => {
    expect(nextInRing(0, -1, false)).toBe(-1);
  });
  it('stays on a single item', () => {
    expect(nextInRing(1, 0, true)).toBe(0);
    expect(nextInRing(1, 0, false)).toBe(0);
  });
});
