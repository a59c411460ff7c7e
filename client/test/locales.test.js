// The two languages say the same things: the same keys, and the same
// {{placeholders}} in each text, so no screen shows a raw key or "{{name}}".
import { describe, expect, it } from 'vitest';
import en from '../src/locales/en.json';
import nl from '../src/locales/nl.json';

function flatten(tree, prefix = '') {
  const out = {};
  for (const [k, v] of Object.entries(tree)) {
    if (v && typeof v === 'object') Object.assign(out, flatten(v, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
}
const placeholders = (text) => [...String(text).matchAll(/{{\s*([\w.]+)\s*}}/g)].map((m) => m[1]).sort();

const EN = flatten(en);
const NL = flatten(nl);

describe('locales', () => {
  it('have the same keys in Dutch and English', () => {
    expect(Object.keys(NL).sort()).toEqual(Object.keys(EN).sort());
  });

  it('use the same placeholders in both languages', () => {
    const differ = Object.keys(EN).filter((k) => JSON.stringify(placeholders(EN[k])) !== JSON.stringify(placeholders(NL[k])));
    expect(differ).toEqual([]);
  });

  it('have no empty texts', () => {
    const empty = [...Object.entries(EN), ...Object.entries(NL)].filter(([, v]) => typeof v !== 'string' || !v.trim());
    expect(empty).toEqual([]);
  });
});
