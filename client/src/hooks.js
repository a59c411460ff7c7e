import { useEffect, useState } from 'preact/hooks';
import { RoomConnection } from './connection.js';

// One connection for the lifetime of the component; re-render on each change.
export function useRoom(code, kind, options) {
  const [conn, setConn] = useState(null);
  const [, setTick] = useState(0);
  useEffect(() => {
    const c = new RoomConnection(code, kind, options);
    c.subscribe(() => setTick((n) => n + 1));
    c.start();
    setConn(c);
    return () => c.stop();
  }, [code, kind]);
  return conn;
}

// Re-render every `ms` while `active`, for clocks.
export function useTicker(active, ms = 500) {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return undefined;
    const id = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(id);
  }, [active, ms]);
}

// The current path; navigate() pushes a new one.
// A screen with unsaved work can hold the browser's Back and Forward:
// `hold()` is asked before the page follows a pop, and returns true when it
// took care of it (put its own address back and asked, in the page).
let popHold = null;
export function holdPops(hold) {
  popHold = hold;
  return () => {
    if (popHold === hold) popHold = null;
  };
}

export function usePath() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPop = (e) => {
      if (e.type === 'popstate' && popHold && popHold()) return;
      setPath(location.pathname);
    };
    window.addEventListener('popstate', onPop);
    window.addEventListener('calmroom:navigate', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('calmroom:navigate', onPop);
    };
  }, []);
  return path;
}

export function navigate(path, { replace = false, state = null } = {}) {
  if (replace) history.replaceState(state, '', path);
  else history.pushState(state, '', path);
  window.dispatchEvent(new Event('calmroom:navigate'));
  window.scrollTo(0, 0);
}
