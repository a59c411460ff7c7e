// Notices and the pause on the big screen. They name the customer and agent
// (the room sees who plays anyway) but never an observer: a time-out called by
// an observer comes from "an observer". A room that does not name time-outs
// (the default) names nobody.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { namesTimeouts, noticeText, timeoutText } from './common.jsx';

function shownName(conn, id) {
  if (!namesTimeouts(conn.state)) return null;
  const round = conn.round;
  if (round && (id === round.customer || id === round.agent)) return conn.nameOf(id) || t('participants.former');
  return t('projector.an_observer');
}

function text(conn, notice) {
  if (notice.kind !== 'timeout') return noticeText(conn, notice);
  return timeoutText(shownName(conn, notice.by), notice.reason);
}

// As the console's notices (read out, shown for a while, a time-out only
// while the role-play lasts), in the projector's words.
export function ProjectorNotices({ conn }) {
  const [hidden, setHidden] = useState(() => new Set(conn.notices.map((n) => n.seq)));
  const phase = conn.state && conn.state.phase;
  const inPlay = phase === 'roleplay' || phase === 'paused';
  const shown = conn.notices.filter((n) => !hidden.has(n.seq) && (inPlay || (n.kind !== 'timeout' && n.kind !== 'time_up')));
  const latest = shown[shown.length - 1];
  useEffect(() => {
    if (!latest) return undefined;
    const id = setTimeout(() => setHidden((h) => new Set([...h, latest.seq])), 12000);
    return () => clearTimeout(id);
  }, [latest && latest.seq]);
  const hide = (seq) => setHidden((h) => new Set([...h, seq]));
  return (
    <div class="notices" aria-live="assertive" aria-atomic="false">
      {shown.map((n) => (
        <div class={`notice notice-${n.kind}`} key={n.seq} data-testid={`notice-${n.kind}`}>
          <span>{text(conn, n)}</span>
          <button type="button" class="notice-close" onClick={() => hide(n.seq)}>
            <span aria-hidden="true">×</span>
            <span class="sr-only">{t('actions.dismiss')}</span>
          </button>
        </div>
      ))}
    </div>
  );
}

// "Paused", and by whom when it was a time-out just now (the rule of the
// participants' banner: a time-out at the moment the clock stopped).
export function ProjectorPaused({ conn }) {
  const round = conn.round;
  if (conn.state.phase !== 'paused') return null;
  const last = round.timeouts[round.timeouts.length - 1];
  const byTimeout = last && Math.abs(last.t_ms - round.clock.elapsed_ms) < 1500;
  let line = t('roleplay.paused');
  if (byTimeout) line = timeoutText(shownName(conn, last.by), last.reason, true);
  return (
    <div class="banner banner-pause" role="status" data-testid="paused-banner">
      <strong>{t('phase.paused')}</strong> · {line}
    </div>
  );
}
