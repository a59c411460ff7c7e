// Small helpers shared by the screens.

// A random id for marks and anger-meter moves (the server dedupes retries by
// it). crypto.randomUUID needs a secure context, which a workshop on a LAN
// address over plain http is not; getRandomValues works everywhere.
export function newId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Room codes: 6 characters of an alphabet without 0/O and 1/I/L.
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function normaliseCode(text) {
  return (text || '').toUpperCase().replace(/[^A-Z0-9]/g, '');
}
export function isCode(text) {
  return text.length === 6 && [...text].every((c) => CODE_ALPHABET.includes(c));
}

// 83000 -> "1:23"; negative values get a sign.
export function formatMs(ms) {
  const sign = ms < 0 ? '-' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${sign}${m}:${String(s).padStart(2, '0')}`;
}

// A key that a link brings in its fragment (#key=...; never in the query
// string, so it is in no request line, log or Referer): taken out of the
// address bar at once. null when there is none, or a broken %-escape.
export function takeKeyFromHash() {
  const match = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (!match) return null;
  history.replaceState(history.state, '', location.pathname + location.search);
  try {
    return decodeURIComponent(match[1]).trim() || null;
  } catch {
    return null;
  }
}

export function joinUrlFor(code) {
  return `${location.origin}/join/${code}`;
}

export function average(values) {
  if (!values.length) return null;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function formatNumber(value, lang) {
  if (value === null || value === undefined) return '–';
  return value.toLocaleString(lang, { maximumFractionDigits: 1 });
}

// Group an array into a map by key function.
export function groupBy(items, key) {
  const out = new Map();
  for (const item of items) {
    const k = key(item);
    if (!out.has(k)) out.set(k, []);
    out.get(k).push(item);
  }
  return out;
}
