// The big screen: what the whole room may see, one slide per phase, sized to
// the window (1920×1080 and 1280×720 alike) so that nothing scrolls. No
// briefs, no live scores, no anger meter until the reveal, and no observer
// names: counts only (a time-out called by an observer is "an observer's").
// No app header either (projector.css hides it); the language still follows
// the console's pick (i18n.js, `storage` event).
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n.js';
import { PhaseBadge } from './common.jsx';
import { ProjectorNotices } from './projectorNotices.jsx';
import { EndSlide, LobbySlide, PlaySlide, ScoringSlide } from './projectorSlides.jsx';
import { ReviewSlide } from './projectorResults.jsx';
import './projector.css';

// Whether this view saw the round go from scoring to review (then the results
// come with a short reveal); a projector opened later shows them at once.
function useRevealMoment(phase, roundId) {
  const last = useRef({ phase, roundId });
  const revealed = useRef(null);
  // decided while rendering, so the first frame of the review is the reveal's
  if (last.current.phase === 'scoring' && phase === 'review' && last.current.roundId === roundId) revealed.current = roundId;
  last.current = { phase, roundId };
  return phase === 'review' && revealed.current === roundId;
}

// The code spelled out for a screen reader; on screen the code as people type it.
function CornerCode({ code }) {
  return (
    <p class="projector-corner-code" data-testid="corner-code">
      <span class="projector-corner-label" aria-hidden="true">
        {t('projector.code')}
      </span>{' '}
      <span class="projector-corner-value" aria-hidden="true">
        {code}
      </span>
      <span class="sr-only">{t('room.code_label', { code: code.split('').join(' ') })}</span>
    </p>
  );
}

export function Projector({ conn, onExit }) {
  const { state } = conn;
  const { phase } = state;
  const round = conn.round;
  useEffect(() => {
    document.documentElement.classList.add('projecting');
    return () => document.documentElement.classList.remove('projecting');
  }, []);
  const revealing = useRevealMoment(phase, round && round.id);
  // the big code and QR are for the lobby; in a round a small code in the corner
  // lets a latecomer in; a closed room invites nobody
  const corner = phase !== 'lobby' && phase !== 'closed';
  let slide;
  if (phase === 'closed') slide = <EndSlide conn={conn} />;
  else if (!round || phase === 'lobby') slide = <LobbySlide conn={conn} />;
  else if (phase === 'scoring') slide = <ScoringSlide conn={conn} />;
  else if (phase === 'review') slide = <ReviewSlide conn={conn} revealing={revealing} />;
  else slide = <PlaySlide conn={conn} />;
  return (
    <div class="projector" data-testid="projector-view" data-phase={phase}>
      <div class="projector-top">
        <h1 class="projector-title">{state.title}</h1>
        {corner && <CornerCode code={conn.code} />}
        <span class="projector-phase" data-testid="projector-phase">
          <PhaseBadge phase={phase} />
        </span>
        <button type="button" class="btn btn-small projector-exit" onClick={onExit} data-testid="projector-exit">
          {t('console.projector_exit')}
        </button>
      </div>
      <ProjectorNotices conn={conn} />
      <div class="projector-stage">{slide}</div>
    </div>
  );
}
