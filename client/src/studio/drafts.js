// Unsaved work in the studio, kept in this browser per deck until it is saved
// or discarded:  calmroom.studio.draft.<deck id>  {deck, base_version, is_new, saved_ms}
// `base_version`: the version the draft started from (null for a deck the
// server does not have yet). Storage may be missing or full: then the draft
// lives only as long as the page.

const PREFIX = 'calmroom.studio.draft.';

function browserStorage() {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function draftStore(storage = browserStorage(), now = () => Date.now()) {
  const get = (key) => {
    try {
      return storage ? storage.getItem(key) : null;
    } catch {
      return null;
    }
  };
  return {
    load(id) {
      const text = get(PREFIX + id);
      if (!text) return null;
      try {
        const draft = JSON.parse(text);
        return draft && typeof draft === 'object' && draft.deck && typeof draft.deck === 'object' ? draft : null;
      } catch {
        return null;
      }
    },
    save(id, { deck, base_version = null, is_new = false }) {
      const draft = { deck, base_version, is_new, saved_ms: now() };
      try {
        if (storage) storage.setItem(PREFIX + id, JSON.stringify(draft));
      } catch {
        /* not kept; the page still has it */
      }
      return draft;
    },
    discard(id) {
      try {
        if (storage) storage.removeItem(PREFIX + id);
      } catch {
        /* ignore */
      }
    },
    // ids of every deck with a draft here
    list() {
      const out = [];
      if (!storage) return out;
      try {
        for (let i = 0; i < storage.length; i += 1) {
          const key = storage.key(i);
          if (key && key.startsWith(PREFIX)) out.push(key.slice(PREFIX.length));
        }
      } catch {
        return out;
      }
      return out.sort();
    },
  };
}

// Whether a draft differs from the deck it started from (key order aside).
export function isChanged(deck, saved) {
  return canonical(deck) !== canonical(saved);
}

function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value === undefined ? null : value);
}
