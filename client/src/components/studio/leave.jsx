// Leaving the editor with unsaved changes asks first: in the page for a link
// inside the app, the browser's own question (beforeunload) for closing the
// tab or going elsewhere. The draft stays in this browser either way.
import { useEffect, useRef, useState } from 'preact/hooks';
import { navigate } from '../../hooks.js';
import { t } from '../../i18n.js';

let guard = null; // {dirty: () => bool, ask: (to) => void}: the editor on screen

export function goTo(to) {
  if (guard && guard.dirty()) guard.ask(to);
  else navigate(to);
}

export function StudioLink({ to, children, class: cls, testid }) {
  return (
    <a
      href={to}
      class={cls}
      data-testid={testid}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        goTo(to);
      }}
    >
      {children}
    </a>
  );
}

export function useLeaveGuard(dirty) {
  const [asking, setAsking] = useState(null);
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  useEffect(() => {
    const me = { dirty: () => dirtyRef.current, ask: setAsking };
    guard = me;
    const onUnload = (e) => {
      if (!dirtyRef.current) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onUnload);
    return () => {
      if (guard === me) guard = null;
      window.removeEventListener('beforeunload', onUnload);
    };
  }, []);
  return { asking, stay: () => setAsking(null), leave: () => (setAsking(null), navigate(asking)) };
}

// The in-page question; `onDiscard` drops the draft before leaving.
export function LeavePrompt({ asking, stay, leave, onDiscard }) {
  const first = useRef(null);
  useEffect(() => {
    if (asking && first.current) first.current.focus();
  }, [asking]);
  if (!asking) return null;
  return (
    <div class="panel sf-leave" role="alertdialog" aria-labelledby="sf-leave-q" data-testid="leave-prompt">
      <p id="sf-leave-q">{t('studio.leave_q')}</p>
      <button type="button" class="btn btn-primary" ref={first} onClick={stay} data-testid="leave-stay">
        {t('studio.leave_stay')}
      </button>{' '}
      <button type="button" class="btn" onClick={leave} data-testid="leave-keep">
        {t('studio.leave_keep')}
      </button>{' '}
      <button
        type="button"
        class="btn btn-danger"
        onClick={() => {
          onDiscard();
          leave();
        }}
        data-testid="leave-discard"
      >
        {t('studio.leave_discard')}
      </button>
    </div>
  );
}
