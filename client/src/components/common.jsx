import { useEffect, useRef, useState } from 'preact/hooks';
import { LANGUAGES, setLanguage, t, useLanguage } from '../i18n.js';
import { useTicker } from '../hooks.js';
import { formatMs } from '../util.js';
import { nameInState } from '../names.js';
import { narrowSteps } from '../aftercare.js';

export function LanguageSwitch() {
  const lang = useLanguage();
  return (
    <div class="lang-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((l) => (
        <button
          type="button"
          key={l.code}
          lang={l.code}
          class="lang-btn"
          aria-pressed={lang === l.code ? 'true' : 'false'}
          onClick={() => setLanguage(l.code)}
          title={l.name}
        >
          <span aria-hidden="true">{l.code.toUpperCase()}</span>
          <span class="sr-only">{l.name}</span>
        </button>
      ))}
    </div>
  );
}

export function Header({ children }) {
  return (
    <header class="site-header">
      <a class="brand" href="/" aria-label={t('app.home')}>
        <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
          <circle cx="16" cy="16" r="14" fill="currentColor" />
          <path d="M9 17c2 3 5 4 7 4s5-1 7-4" stroke="#fff" stroke-width="3" fill="none" stroke-linecap="round" />
        </svg>
        <span>Calmroom</span>
      </a>
      <div class="header-extra">{children}</div>
      <LanguageSwitch />
    </header>
  );
}

export function Loading({ text }) {
  return (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {text || t('status.connecting')}
    </div>
  );
}

// The text for an error answer, in the reader's language.
export function errorText(error) {
  if (!error) return '';
  const { code, fields } = error;
  // a taken name: `invalid` with fields.name (docs/protocol.md); older servers said `conflict`
  if (fields && fields.name && (code === 'conflict' || /already/i.test(fields.name))) return t('errors.name_taken');
  if (code === 'seat_gone') return t('errors.seat_gone');
  // a name the facilitator removed and kept out (`kick {ban: true}`)
  if (code === 'forbidden' && fields && fields.name) return t('errors.name_banned');
  if (code === 'invalid' && fields) {
    const field = Object.keys(fields)[0];
    return t('errors.invalid_field', { field: t(`fields.${field}`, { defaultValue: field }), message: fields[field] });
  }
  return t(`errors.${code}`, { defaultValue: error.message || t('errors.unknown') });
}

export function ErrorText({ error, id }) {
  if (!error) return null;
  return (
    <p class="error" role="alert" id={id}>
      {errorText(error)}
    </p>
  );
}

export function PhaseBadge({ phase }) {
  return <span class={`badge phase-${phase}`}>{t(`phase.${phase}`)}</span>;
}

export function RoleBadge({ role }) {
  if (!role) return null;
  return <span class={`badge role-${role}`}>{t(`role.${role}`)}</span>;
}

// The round clock: time left when the round has a duration, else time played.
export function Clock({ conn, size = 'normal' }) {
  const round = conn.round;
  const running = !!(round && round.clock.running);
  useTicker(running, 250);
  if (!round) return null;
  const elapsed = conn.elapsedMs();
  const duration = round.clock.duration_s;
  const left = duration ? duration * 1000 - elapsed : null;
  const over = left !== null && left < 0;
  const shown = left === null ? formatMs(elapsed) : over ? `+${formatMs(-left)}` : formatMs(left + 999);
  const label = left === null ? t('clock.elapsed') : over ? t('clock.over') : t('clock.left');
  return (
    <div class={`clock clock-${size}${over ? ' clock-over' : ''}${running ? '' : ' clock-stopped'}`}>
      <span class="clock-label">{label}</span>
      <span class="clock-time" role="timer" aria-label={`${label} ${shown}`}>
        {shown}
      </span>
      {!running && round.clock.elapsed_ms > 0 && <span class="clock-state">{t('clock.stopped')}</span>}
    </div>
  );
}

export function Presence({ connected }) {
  return (
    <span class={`presence ${connected ? 'on' : 'off'}`}>
      <span class="dot" aria-hidden="true" />
      {connected ? t('presence.online') : t('presence.away')}
    </span>
  );
}

export function ParticipantList({ state, youId, actions }) {
  const people = state.participants;
  // a fishbowl or an anonymous room: the players, you, and how many observe
  const heads = state.headcount;
  if (!people.length && !heads) return <p class="muted">{t('participants.none')}</p>;
  return (
    <ul class="people">
      {people.map((p) => (
        <li key={p.id} class="person" data-testid="participant">
          <span class="person-name">
            {p.name}
            {p.id === youId && <span class="you"> ({t('participants.you')})</span>}
          </span>
          <RoleBadge role={p.role} />
          <Presence connected={p.connected} />
          {actions && actions(p)}
        </li>
      ))}
      {heads && (
        <li class="person" data-testid="observer-count">
          <span class="person-name">{t('participants.observers', { count: heads.observers })}</span>
          <span class="muted">{t('participants.observers_online', { count: heads.online })}</span>
        </li>
      )}
    </ul>
  );
}

// One naming rule for every screen: see names.js.
export function authorName(conn, id) {
  return nameInState(conn.state, id);
}

// A time-out in words, as a notice or (`paused`) as the pause banner's line;
// `name` null: the room does not say who called it.
export function timeoutText(name, reason, paused = false) {
  const keys = paused
    ? ['roleplay.paused_by', 'roleplay.paused_by_reason', 'roleplay.paused_anon', 'roleplay.paused_anon_reason']
    : ['notice.timeout', 'notice.timeout_reason', 'notice.timeout_anon', 'notice.timeout_anon_reason'];
  if (name === null) return reason ? t(keys[3], { reason }) : t(keys[2]);
  return reason ? t(keys[1], { name, reason }) : t(keys[0], { name });
}

// "You called a time-out." to whoever called it, whatever the room says to the others.
export function youCalledTimeout(reason, paused = false) {
  const key = paused ? 'roleplay.paused_you' : 'notice.timeout_you';
  return reason ? t(`${key}_reason`, { reason }) : t(key);
}

// Was this time-out (of round.timeouts) ours?
export function timeoutIsMine(conn, timeout) {
  return Boolean(timeout) && ((timeout.by && timeout.by === conn.myId) || ((conn.room && conn.room.myTimeouts) || []).includes(timeout.t_ms));
}

// Whether this room's screens say who called a time-out (its options).
export function namesTimeouts(state) {
  const o = (state && state.options) || {};
  return Boolean(o.name_timeouts) && !o.anonymous;
}

// The text of a notice in the reader's language.
export function noticeText(conn, notice) {
  switch (notice.kind) {
    case 'timeout':
      if (notice.mine || (notice.by && notice.by === conn.myId)) return youCalledTimeout(notice.reason);
      return timeoutText(notice.by ? authorName(conn, notice.by) : null, notice.reason);
    case 'time_up':
      return t('notice.time_up');
    case 'kicked':
      return t('notice.kicked');
    case 'closed':
      return t('notice.closed');
    case 'deleted':
      return t('notice.deleted');
    case 'moved':
      return t('door.moved_notice', { name: authorName(conn, notice.by) });
    default:
      return notice.message;
  }
}

// Notices are read out (aria-live) and shown for a while.
export function Notices({ conn }) {
  const [hidden, setHidden] = useState(() => new Set(conn.notices.map((n) => n.seq)));
  const phase = conn.state && conn.state.phase;
  const inPlay = phase === 'roleplay' || phase === 'paused';
  // a time-out or time-up notice belongs to the role-play; it goes with it
  const shown = conn.notices.filter((n) => !hidden.has(n.seq) && (inPlay || (n.kind !== 'timeout' && n.kind !== 'time_up')));
  const latest = shown[shown.length - 1];
  useEffect(() => {
    if (!latest) return undefined;
    const id = setTimeout(() => setHidden((h) => new Set([...h, latest.seq])), 12000);
    return () => clearTimeout(id);
  }, [latest && latest.seq]);
  return (
    <div class="notices" aria-live="assertive" aria-atomic="false">
      {shown.map((n) => (
        <div class={`notice notice-${n.kind}`} key={n.seq} data-testid={`notice-${n.kind}`}>
          <span>{noticeText(conn, n)}</span>
          <button type="button" class="notice-close" onClick={() => setHidden((h) => new Set([...h, n.seq]))}>
            <span aria-hidden="true">×</span>
            <span class="sr-only">{t('actions.dismiss')}</span>
          </button>
        </div>
      ))}
    </div>
  );
}

export function OfflineBanner({ conn }) {
  if (conn.status !== 'offline') return null;
  return (
    <div class="banner banner-warn" role="status">
      {t('status.reconnecting')}
    </div>
  );
}

// A button that asks first. `option` adds a checkbox to the question (e.g.
// "keep them out"); its value goes to onConfirm and may change the confirm
// label. Cancel puts the focus back on the button, not on the page.
// `ask` (a function) says at the click whether to ask at all; `question` may
// be a function too, read when the question opens (e.g. the time left now).
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  class: cls = 'btn btn-danger',
  confirmClass = 'btn btn-danger',
  testid,
  option,
  ask,
  cancelLabel,
  disabled = false,
}) {
  const [asking, setAsking] = useState(false);
  const [checked, setChecked] = useState(false);
  const yesRef = useRef(null);
  const openRef = useRef(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (asking && yesRef.current) yesRef.current.focus();
    if (!asking && refocus.current && openRef.current) openRef.current.focus();
    refocus.current = false;
  }, [asking]);
  if (!asking) {
    const open = () => (ask && !ask() ? onConfirm(false) : setAsking(true));
    return (
      <button type="button" class={cls} ref={openRef} onClick={open} disabled={disabled} data-testid={testid}>
        {label}
      </button>
    );
  }
  const text = typeof question === 'function' ? question() : question;
  return (
    <span class="confirm" role="group" aria-label={text} data-testid={testid && `${testid}-confirm`}>
      <span class="confirm-q">{text}</span>
      {option && (
        <label class="confirm-option">
          <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.currentTarget.checked)} data-testid={option.testid} />{' '}
          {option.label}
        </label>
      )}
      <button
        type="button"
        class={confirmClass}
        ref={yesRef}
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          setChecked(false);
          onConfirm(checked);
        }}
        data-testid={testid && `${testid}-yes`}
      >
        {checked && option && option.confirmLabel ? option.confirmLabel : confirmLabel}
      </button>
      <button
        type="button"
        class="btn btn-quiet"
        onClick={() => {
          refocus.current = true;
          setChecked(false);
          setAsking(false);
        }}
        data-testid={testid && `${testid}-cancel`}
      >
        {cancelLabel || t('actions.cancel')}
      </button>
    </span>
  );
}

export function List({ items, class: cls, lang }) {
  if (!items || !items.length) return null;
  return (
    <ul class={cls} lang={lang}>
      {items.map((item, i) => (
        <li key={i}>{item}</li>
      ))}
    </ul>
  );
}

export function scaleValues(scale) {
  const out = [];
  for (let v = scale.min; v <= scale.max; v += 1) out.push(v);
  return out;
}

export function scaleLabel(scale, value) {
  if (value === null || value === undefined) return t('scoring.na');
  const label = scale.labels[String(value)];
  return label ? `${value} · ${label}` : String(value);
}

// The rubric steps scored on the current card, as deck step objects; with the
// card's narrowed look-fors where it has them (the facilitator and the
// observers get those; the players score nothing and keep the general ones).
export function cardSteps(state) {
  const keys = state.round ? state.round.card.steps : state.deck.steps.map((s) => s.key);
  const steps = keys.map((k) => state.deck.steps.find((s) => s.key === k)).filter(Boolean);
  return state.round ? narrowSteps(steps, state.round.card.look_fors) : steps;
}
