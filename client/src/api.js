// The JSON API (same origin). Errors come back as {ok:false, error:{code,message}}.
// `raw` sends text as it is, with its own `contentType` (a deck file's YAML).
async function call(method, path, { body, token, raw, contentType } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (raw !== undefined) headers['Content-Type'] = contentType;
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    return { ok: false, error: { code: 'offline', message: 'the server could not be reached' } };
  }
  if (response.status === 204) return { ok: true };
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.ok) return { ok: true, ...(data || {}) };
  return { ok: false, status: response.status, error: (data && data.error) || { code: 'unavailable', message: response.statusText } };
}

export const listDecks = () => call('GET', '/api/decks');
// Without a token: what participants may see (no briefs). With `room` and that
// room's facilitator key (or with a trainer key): the full deck, and with
// `room` exactly the version that room plays.
export const getDeck = (id, { room, token } = {}) =>
  call('GET', `/api/decks/${encodeURIComponent(id)}${room ? `?room=${encodeURIComponent(room)}` : ''}`, { token });
export const uploadDeck = (text, contentType, token) => call('POST', '/api/decks', { raw: text, contentType, token });
export const createRoom = (body) => call('POST', '/api/rooms', { body });
// A room's public summary (no secrets): whether a code is a room, and its phase.
export const getRoom = (code) => call('GET', `/api/rooms/${encodeURIComponent(code)}`);
// Where phones can reach this server (docs/protocol.md, GET /api/network).
export const getNetwork = () => call('GET', '/api/network');
// A participant's own summary, read with their own token (docs/protocol.md, "GET /api/rooms/<code>/me").
export const getSummary = (code, token) => call('GET', `/api/rooms/${encodeURIComponent(code)}/me`, { token });
export const deleteRoom = (code, token) => call('DELETE', `/api/rooms/${encodeURIComponent(code)}`, { token });

// Decks do not change while a workshop runs: fetch each one once per page.
const deckCache = new Map();
export function getDeckCached(id, { room, token } = {}) {
  const key = `${id}|${room || ''}|${token || ''}`;
  if (!deckCache.has(key)) {
    const promise = getDeck(id, { room, token }).then((d) => {
      if (!d.ok) deckCache.delete(key);
      return d;
    });
    deckCache.set(key, promise);
  }
  return deckCache.get(key);
}

// Everything about every round (docs/protocol.md, "GET /api/rooms/<code>/results").
// `body` is the response exactly as the server sent it, for the JSON export.
export async function getResults(code, token) {
  let response;
  try {
    response = await fetch(`/api/rooms/${encodeURIComponent(code)}/results`, {
      headers: { Accept: 'application/json', Authorization: `Bearer ${token}` },
    });
  } catch {
    return { ok: false, error: { code: 'offline', message: 'the server could not be reached' } };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    return { ok: false, status: response.status, error: (data && data.error) || { code: 'unavailable', message: response.statusText } };
  }
  return { ok: true, results: data };
}

export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// The results as JSON, fetched fresh and saved pretty-printed.
export async function downloadJson(code, token) {
  const r = await getResults(code, token);
  if (!r.ok) return r;
  const text = `${JSON.stringify(r.results, null, 2)}\n`;
  saveBlob(new Blob([text], { type: 'application/json;charset=utf-8' }), `calmroom-${code}.json`);
  return { ok: true };
}

// The results as a CSV file, fetched with the facilitator token and saved.
// `semicolon` separates with ";" for spreadsheets in a Dutch locale.
// `lang` names the columns and labels in that language (nl or en).
export async function downloadCsv(code, token, { semicolon = false, lang = 'en' } = {}) {
  const query = new URLSearchParams({ sep: semicolon ? 'semicolon' : 'comma', lang });
  let response;
  try {
    response = await fetch(`/api/rooms/${encodeURIComponent(code)}/results.csv?${query}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
  } catch {
    return { ok: false, error: { code: 'offline', message: 'the server could not be reached' } };
  }
  if (!response.ok) return { ok: false, error: { code: response.status === 401 ? 'unauthorized' : 'unavailable', message: response.statusText } };
  const blob = await response.blob();
  saveBlob(blob, semicolon ? `calmroom-${code}-excel-nl.csv` : `calmroom-${code}.csv`);
  return { ok: true };
}
