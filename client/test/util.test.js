import { describe, expect, it } from 'vitest';
import { average, formatMs, groupBy, isCode, newId, normaliseCode, takeKeyFromHash } from '../src/util.js';

describe('room codes', () => {
  it('normalise what people type', () => {
    expect(normaliseCode(' abc-def ')).toBe('ABCDEF');
    expect(normaliseCode(null)).toBe('');
  });
  it('accept only the unambiguous alphabet', () => {
    expect(isCode('ABCDEF')).toBe(true);
    expect(isCode('ABCDE0')).toBe(false); // 0 is not in the alphabet
    expect(isCode('ABCDEI')).toBe(false); // nor I
    expect(isCode('ABCDE')).toBe(false);
  });
});

describe('formatMs', () => {
  it('shows minutes and seconds', () => {
    expect(formatMs(0)).toBe('0:00');
    expect(formatMs(83_000)).toBe('1:23');
    expect(formatMs(59_999)).toBe('0:59');
    expect(formatMs(3_600_000)).toBe('60:00');
  });
  it('signs negative values', () => {
    expect(formatMs(-5_000)).toBe('-0:05');
  });
});

describe('small helpers', () => {
  it('average of nothing is null, not NaN', () => {
    expect(average([])).toBeNull();
    expect(average([1, 2, 4])).toBeCloseTo(7 / 3);
  });
  it('groupBy keeps order within a group', () => {
    const g = groupBy([{ k: 'a', n: 1 }, { k: 'b', n: 2 }, { k: 'a', n: 3 }], (x) => x.k);
    expect([...g.keys()]).toEqual(['a', 'b']);
    expect(g.get('a').map((x) => x.n)).toEqual([1, 3]);
  });
  it('newId gives 32 hex characters the server accepts as a client id', () => {
    const ids = new Set(Array.from({ length: 50 }, newId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('takeKeyFromHash', () => {
  function at(hash) {
    const replaced = [];
    globalThis.location = { hash, pathname: '/host/ABCDEF', search: '?projector' };
    globalThis.history = { state: null, replaceState: (_s, _t, url) => replaced.push(url) };
    return replaced;
  }
  it('takes the key and clears the address bar', () => {
    const replaced = at('#key=abc%2Fdef');
    expect(takeKeyFromHash()).toBe('abc/def');
    expect(replaced).toEqual(['/host/ABCDEF?projector']);
  });
  it('gives nothing for no key, an empty one or a broken escape', () => {
    at('');
    expect(takeKeyFromHash()).toBeNull();
    at('#key=%20');
    expect(takeKeyFromHash()).toBeNull();
    at('#key=%E0%A4%A');
    expect(takeKeyFromHash()).toBeNull();
  });
});
