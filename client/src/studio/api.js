// The studio's endpoints (docs/studio-api.md), all under the trainer key.
// Answers as api.js gives them: {ok:true, ...body} or {ok:false, status, error}.
// A refused save (422) also carries `errors: [{path, message}]`.
const enc = encodeURIComponent;

async function call(method, path, token, { body, raw, contentType, text = false } = {}) {
  const headers = { Accept: text ? 'application/yaml, text/plain' : 'application/json', Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (raw !== undefined) headers['Content-Type'] = contentType;
  let response;
  try {
    response = await fetch(path, { method, headers, body: raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    return { ok: false, error: { code: 'offline', message: 'the server could not be reached' } };
  }
  if (response.status === 204) return { ok: true };
  if (text && response.ok) return { ok: true, text: await response.text() };
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  // a body's own `ok` (validate, parity: whether the deck passed) is `passed`
  if (response.ok) return { ...(data || {}), ok: true, passed: data ? data.ok : undefined, status: response.status };
  const error = (data && data.error) || { code: response.status === 422 ? 'invalid' : 'unavailable', message: response.statusText };
  return { ok: false, status: response.status, error, errors: (data && data.errors) || fieldErrors(error) };
}

// `fields` of the one error shape as a list of problems.
function fieldErrors(error) {
  const fields = (error && error.fields) || {};
  return Object.entries(fields).map(([path, message]) => ({ path, message: Array.isArray(message) ? message.join('; ') : String(message) }));
}

const base = '/api/studio';
const deckPath = (id) => `${base}/decks/${enc(id)}`;

export function studioApi(token) {
  return {
    list: () => call('GET', `${base}/decks`, token),
    get: (id) => call('GET', deckPath(id), token),
    validate: (deck) => call('POST', `${base}/validate`, token, { body: { deck } }),
    create: (deck) => call('POST', `${base}/decks`, token, { body: { deck } }),
    save: (id, deck) => call('PUT', deckPath(id), token, { body: { deck } }),
    copy: (id, newId, title) => call('POST', `${deckPath(id)}/copy`, token, { body: title ? { id: newId, title } : { id: newId } }),
    translate: (id, newId, language) => call('POST', `${deckPath(id)}/translate`, token, { body: { id: newId, language } }),
    parity: (id, other) => call('GET', `${deckPath(id)}/parity/${enc(other)}`, token),
    versions: (id) => call('GET', `${deckPath(id)}/versions`, token),
    version: (id, n) => call('GET', `${deckPath(id)}/versions/${enc(n)}`, token),
    diff: (id, from, to) => call('GET', `${deckPath(id)}/diff?from=${enc(from)}&to=${enc(to)}`, token),
    restore: (id, version) => call('POST', `${deckPath(id)}/restore`, token, { body: { version } }),
    archive: (id, archived) => call('POST', `${deckPath(id)}/archive`, token, { body: { archived } }),
    remove: (id) => call('DELETE', deckPath(id), token),
    exportYaml: (id) => call('GET', `${deckPath(id)}/export`, token, { text: true }),
    importFile: (text, contentType) => call('POST', `${base}/import`, token, { raw: text, contentType }),
    preview: (deck, card) => call('POST', `${base}/preview`, token, { body: { deck, card } }),
    testRoom: (deck) => call('POST', `${base}/test-room`, token, { body: { deck } }),
  };
}

export const exportUrl = (id) => `${deckPath(id)}/export`;
