// The JSON API (same origin). Errors come back as {ok:false, error:{code,message}}.
async function call(method, path, { body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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
  return { ok: false, error: (data && data.error) || { code: 'unavailable', message: response.statusText } };
}

export const listDecks = () => call('GET', '/api/decks');
export const getDeck = (id) => call('GET', `/api/decks/${encodeURIComponent(id)}`);
export const createRoom = (body) => call('POST', '/api/rooms', { body });
export const deleteRoom = (code, token) => call('DELETE', `/api/rooms/${encodeURIComponent(code)}`, { token });

// The results as a CSV file, fetched with the facilitator token and saved.
export async function downloadCsv(code, token) {
  let response;
  try {
    response = await fetch(`/api/rooms/${encodeURIComponent(code)}/results.csv`, {
      headers: { Authorization: `Bearer ${token}` },
    });
  } catch {
    return { ok: false, error: { code: 'offline', message: 'the server could not be reached' } };
  }
  if (!response.ok) return { ok: false, error: { code: 'unavailable', message: response.statusText } };
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `calmroom-${code}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return { ok: true };
}
