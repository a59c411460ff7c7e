// The facilitator's commands: each one sends an event, shows its error, and
// (as it changes the phase) puts focus on the next panel's main action.
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { focusMainAction } from '../../focus.js';

// Every command here changes the phase, which swaps the panel under the
// button just pressed: once it is done, focus goes to the new panel's main
// action (data-main-action), not to <body>.
const PhaseFocus = createContext(() => {});

// Holds the focus request of the last command. It stays open a moment: the
// new phase's state may come just before or just after the ack, and the new
// button may still be disabled; it waits until the console shows a phase
// other than the one the command was sent in.
export function PhaseFocusRoot({ children }) {
  const [{ focusNext, tryFocus }] = useState(() => {
    let until = 0;
    let from = null;
    const attempt = () => {
      const shown = document.querySelector('.console[data-phase]');
      if (until < Date.now() || !shown || shown.dataset.phase === from) return;
      if (focusMainAction(document.querySelector('.console-main') || document)) until = 0;
    };
    return {
      tryFocus: attempt,
      focusNext: (phase) => {
        from = phase;
        until = Date.now() + 3000;
        setTimeout(attempt, 0);
      },
    };
  });
  useEffect(tryFocus); // after every render of the room, i.e. every state
  return <PhaseFocus.Provider value={focusNext}>{children}</PhaseFocus.Provider>;
}

export function useCommand(conn) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const focusNext = useContext(PhaseFocus);
  const run = async (event, payload = {}) => {
    const from = conn.state.phase;
    setBusy(true);
    setError(null);
    const ack = await conn.send(event, payload);
    setBusy(false);
    if (!ack.ok) setError(ack.error);
    else focusNext(from);
    return ack;
  };
  return { error, busy, run };
}
