// The validator's paths (`cards[2].customer.start_temperature`) and the form
// fields they point at. Pure: no DOM, no storage.

// 'cards[2].customer.escalates_when[1]' -> ['cards', 2, 'customer', 'escalates_when', 1].
// Marshmallow's schema-level errors (`._schema`) belong to their parent.
export function parsePath(path) {
  const parts = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  let m;
  while ((m = re.exec(String(path || '')))) {
    if (m[2] !== undefined) parts.push(Number(m[2]));
    else if (/^\d+$/.test(m[1]) && parts.length && parts[parts.length - 1] !== 'labels') parts.push(Number(m[1]));
    else parts.push(m[1]);
  }
  while (parts.length && parts[parts.length - 1] === '_schema') parts.pop();
  return parts;
}

// The inverse: numbers as [n], names joined by dots (scale label keys stay names).
export function formatPath(parts) {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${p}` : p;
  }
  return out;
}

// A stable DOM id for the field at a path (letters, digits, - and _ only).
export function fieldId(path) {
  const parts = Array.isArray(path) ? path : parsePath(path);
  return `sf-${parts.map((p) => String(p).replace(/[^A-Za-z0-9_]/g, '_')).join('-')}`;
}

// The problems by normalised path: Map(path -> [message]).
export function groupProblems(problems) {
  const out = new Map();
  for (const p of problems || []) {
    const path = formatPath(parsePath(p.path));
    if (!out.has(path)) out.set(path, []);
    out.get(path).push(p.message);
  }
  return out;
}

// Whether `path` is `prefix` or lies inside it.
export function isUnder(path, prefix) {
  if (!prefix) return true;
  if (path === prefix) return true;
  return path.startsWith(prefix) && (path[prefix.length] === '.' || path[prefix.length] === '[');
}

export function countUnder(grouped, prefix) {
  let n = 0;
  for (const [path, messages] of grouped) if (isUnder(path, prefix)) n += messages.length;
  return n;
}

// Where in the editor a path is edited: the tab, and for cards the card's index.
export function locate(path) {
  const parts = parsePath(path);
  const head = parts[0];
  if (head === 'steps') return { tab: 'rubric' };
  if (head === 'cards') return typeof parts[1] === 'number' ? { tab: 'cards', card: parts[1] } : { tab: 'cards' };
  return { tab: 'deck' };
}

// The value at a path (undefined where there is none).
export function getIn(value, path) {
  const parts = Array.isArray(path) ? path : parsePath(path);
  let v = value;
  for (const p of parts) {
    if (v === null || v === undefined) return undefined;
    v = v[p];
  }
  return v;
}

// A copy with the value at `path` replaced; `undefined` removes the key (or
// the list item). Missing objects on the way are made.
export function setIn(value, path, next) {
  const parts = Array.isArray(path) ? path : parsePath(path);
  if (!parts.length) return next;
  const [head, ...rest] = parts;
  const base = value === null || value === undefined ? (typeof head === 'number' ? [] : {}) : value;
  const child = rest.length ? setIn(base[head], rest, next) : next;
  if (Array.isArray(base)) {
    const copy = base.slice();
    if (child === undefined) copy.splice(head, 1);
    else copy[head] = child;
    return copy;
  }
  const copy = { ...base };
  if (child === undefined) delete copy[head];
  else copy[head] = child;
  return copy;
}

// A path as the steps a person reads: list items with their number (from 1),
// and the field names; 'cards[14].customer.start_temperature' ->
// [{name:'cards', n:15}, {name:'customer'}, {name:'start_temperature'}].
export function trail(path) {
  const out = [];
  for (const p of parsePath(path)) {
    if (typeof p === 'number' && out.length && out[out.length - 1].n === undefined) out[out.length - 1].n = p + 1;
    else out.push({ name: String(p) });
  }
  return out;
}
