import { useEffect, useRef, useState } from 'preact/hooks';
import { useRoom } from '../hooks.js';
import { t } from '../i18n.js';
import { AngerMeter, angerWord } from './anger.jsx';
import { AgentBrief, CardHead, CustomerBrief, Rubric } from './briefs.jsx';
import {
  authorName,
  cardSteps,
  Clock,
  ErrorText,
  Header,
  Loading,
  Notices,
  OfflineBanner,
  ParticipantList,
  PhaseBadge,
  RoleBadge,
  timeoutIsMine,
  timeoutText,
  youCalledTimeout,
} from './common.jsx';
import { HandIcon } from './icons.jsx';
import { Declined, MyRejoinCode, Waiting } from './Doorway.jsx';
import { Results } from './results.jsx';
import { ObserverPanel } from './liveMarks.jsx';
import { FinalScores, ReflectionForm } from './scoring.jsx';
import { SummaryLink } from './Summary.jsx';
import { End, JoinForm, WrongCode } from './participant/Entry.jsx';
import { summaryToken } from '../storage.js';

export function ParticipantPage({ code, initialName }) {
  const conn = useRoom(code, 'participant');
  const tried = useRef(false);
  // the name as typed lives here, so no error (the form comes and goes while
  // joining) ever drops it
  const [name, setName] = useState(initialName || '');
  const [attempted, setAttempted] = useState(false);
  const join = (typed) => {
    setAttempted(true);
    conn.join(typed);
  };
  useEffect(() => {
    if (conn && initialName && !conn.token && !tried.current) {
      tried.current = true;
      join(initialName);
    }
  }, [conn]);
  const status = conn && conn.status;
  useEffect(() => {
    // joined: a reload should rejoin by token, never join again by name
    if (status === 'ready' && history.state && history.state.name) history.replaceState(null, '', location.pathname);
  }, [status]);

  let body;
  if (!conn) body = <Loading />;
  else if (conn.status === 'needName') body = <JoinForm conn={conn} name={name} setName={setName} onJoin={join} />;
  else if (conn.status === 'waiting') body = <Waiting conn={conn} />;
  else if (conn.status === 'declined') body = <Declined conn={conn} />;
  else if (conn.status === 'moved') body = <End title={t('door.moved_title')} text={t('door.moved')} />;
  else if (conn.status === 'notFound' && attempted) body = <WrongCode code={code} name={name} />;
  else if (conn.status === 'notFound') body = <End title={t('end.not_found_title')} text={t('end.not_found', { code })} />;
  else if (conn.status === 'closed') {
    body = (
      <End title={t('end.closed_title')} text={t('end.closed')}>
        <SummaryLink code={code} token={conn.token || summaryToken(code)} big />
      </End>
    );
  }
  else if (conn.status === 'kicked') body = <End title={t('end.kicked_title')} text={t(conn.banned ? 'end.banned' : 'end.kicked')} />;
  else if (conn.status === 'deleted') body = <End title={t('end.deleted_title')} text={t('end.deleted')} />;
  else if (conn.status === 'left') body = <End title={t('end.left_title')} text={t('end.left')} />;
  else if (!conn.state || !conn.authed) {
    body = conn.status === 'offline' ? <Loading text={t('status.reconnecting')} /> : <Loading />;
    if (conn.state && conn.status === 'offline') body = <RoomView conn={conn} />;
  } else body = <RoomView conn={conn} />;

  return (
    <>
      <Header>
        <span class="header-code" aria-label={t('room.code_label', { code })}>
          {code}
        </span>
      </Header>
      <main id="main" class="page participant-page" data-status={conn ? conn.status : 'loading'}>
        {body}
      </main>
    </>
  );
}

function RoomBar({ conn }) {
  const { state } = conn;
  return (
    <div class="room-bar" data-testid="room-bar">
      <div class="room-bar-who">
        <span class="room-title">{state.title}</span>
        <span class="room-you">
          {conn.you && conn.you.name} <RoleBadge role={conn.role} />
        </span>
      </div>
      <div class="room-bar-state">
        <PhaseBadge phase={state.phase} />
      </div>
    </div>
  );
}

// Says the new phase to screen readers when it changes (not on arrival:
// the page itself says where we are then).
function PhaseAnnouncer({ phase }) {
  const [text, setText] = useState('');
  const last = useRef(phase);
  useEffect(() => {
    if (phase === last.current) return;
    last.current = phase;
    setText(t('room.phase_now', { phase: t(`phase.${phase}`) }));
  }, [phase]);
  return (
    <p class="sr-only" role="status" data-testid="phase-announcer">
      {text}
    </p>
  );
}

function RoomView({ conn }) {
  const { state } = conn;
  const { phase } = state;
  return (
    <div class={`room room-${phase}`} data-phase={phase} data-role={conn.role || 'none'}>
      <PhaseAnnouncer phase={phase} />
      <RoomBar conn={conn} />
      <OfflineBanner conn={conn} />
      <Notices conn={conn} />
      {phase === 'lobby' && <Lobby conn={conn} />}
      {phase === 'briefing' && <Briefing conn={conn} />}
      {(phase === 'roleplay' || phase === 'paused') && <Roleplay conn={conn} />}
      {phase === 'scoring' && <Scoring conn={conn} />}
      {phase === 'review' && <Review conn={conn} />}
      <MyRejoinCode conn={conn} />
    </div>
  );
}

function Lobby({ conn }) {
  const { state } = conn;
  return (
    <section class="panel" aria-labelledby="lobby-h" data-testid="lobby">
      <h1 id="lobby-h">{t('lobby.welcome', { name: conn.you ? conn.you.name : '' })}</h1>
      <p class="lead">{t('lobby.waiting')}</p>
      <h2>{t('lobby.who', { count: state.headcount ? state.headcount.people : state.participants.length })}</h2>
      <ParticipantList state={state} youId={conn.myId} />
      <LeaveButton conn={conn} />
    </section>
  );
}

function LeaveButton({ conn }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <p>
        <button type="button" class="btn btn-quiet" onClick={() => setAsking(true)}>
          {t('lobby.leave')}
        </button>
      </p>
    );
  }
  return (
    <p class="confirm">
      <span class="confirm-q">{t('lobby.leave_q')}</span>
      <button type="button" class="btn btn-danger" onClick={() => conn.leave()}>
        {t('lobby.leave_yes')}
      </button>
      <button type="button" class="btn btn-quiet" onClick={() => setAsking(false)}>
        {t('actions.cancel')}
      </button>
    </p>
  );
}

function RoleIntro({ role }) {
  return (
    <div class={`role-intro role-intro-${role}`} data-testid="role-intro">
      <h2>{t(`briefing.you_are_${role}`)}</h2>
      <p>{t(`briefing.${role}_does`)}</p>
    </div>
  );
}

function Briefing({ conn }) {
  const { state } = conn;
  const round = conn.round;
  const role = conn.role || 'observer';
  const { card } = round;
  return (
    <section class="panel briefing" aria-labelledby="brief-h" data-testid="briefing">
      <h1 id="brief-h" class="sr-only">
        {t('phase.briefing')}
      </h1>
      <RoleIntro role={role} />
      <CardHead round={round} conn={conn} />
      {role === 'customer' && card.customer && <CustomerBrief lang={conn.state.deck.language} brief={card.customer} title={t('brief.your_brief')} own />}
      {role === 'agent' && card.agent && <AgentBrief lang={conn.state.deck.language} brief={card.agent} title={t('brief.your_brief')} own />}
      {role === 'observer' && (
        <>
          <div class="brief-columns">
            {card.customer && <CustomerBrief lang={conn.state.deck.language} brief={card.customer} title={t('brief.customer_title')} />}
            {card.agent && <AgentBrief lang={conn.state.deck.language} brief={card.agent} title={t('brief.agent_title')} />}
          </div>
          <Rubric deck={state.deck} steps={cardSteps(state)} />
        </>
      )}
      <p class="muted waiting-note">{t('briefing.waiting')}</p>
    </section>
  );
}

function TimeoutButton({ conn }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  if (conn.state.phase !== 'roleplay') return null;
  const call = async () => {
    setBusy(true);
    setError(null);
    const ack = await conn.callTimeout();
    setBusy(false);
    if (!ack.ok) setError(ack.error);
  };
  return (
    <div class="timeout-box">
      <button type="button" class="btn btn-timeout" onClick={call} disabled={busy} data-testid="timeout-button">
        <HandIcon /> {t('roleplay.timeout')}
      </button>
      <span class="muted small">{t('roleplay.timeout_hint')}</span>
      <ErrorText error={error} />
    </div>
  );
}

export function PausedBanner({ conn }) {
  const round = conn.round;
  if (conn.state.phase !== 'paused') return null;
  const last = round.timeouts[round.timeouts.length - 1];
  const byTimeout = last && Math.abs(last.t_ms - round.clock.elapsed_ms) < 1500;
  let text = t('roleplay.paused');
  if (byTimeout && timeoutIsMine(conn, last)) text = youCalledTimeout(last.reason, true);
  else if (byTimeout) text = timeoutText(last.by ? authorName(conn, last.by) : null, last.reason, true);
  return (
    <div class="banner banner-pause" role="status" data-testid="paused-banner">
      <strong>{t('phase.paused')}</strong> · {text}
    </div>
  );
}

function Roleplay({ conn }) {
  const round = conn.round;
  const role = conn.role || 'observer';
  const { card } = round;
  return (
    <section class="panel roleplay" aria-labelledby="rp-h" data-testid="roleplay">
      <h1 id="rp-h" class="sr-only">
        {t('phase.roleplay')}
      </h1>
      <PausedBanner conn={conn} />
      <div class="rp-top">
        <Clock conn={conn} size="big" />
        <TimeoutButton conn={conn} />
      </div>
      {role === 'customer' && (
        <>
          <AngerMeter conn={conn} />
          <details class="brief-details">
            <summary>{t('brief.your_brief')}</summary>
            <CustomerBrief lang={conn.state.deck.language} brief={card.customer} own />
          </details>
        </>
      )}
      {role === 'agent' && (
        <>
          <div class="role-intro role-intro-agent">
            <h2>{t('roleplay.agent_title')}</h2>
            <p>{t('roleplay.agent_hint')}</p>
          </div>
          <details class="brief-details" open>
            <summary>{t('brief.your_brief')}</summary>
            <AgentBrief lang={conn.state.deck.language} brief={card.agent} own />
          </details>
        </>
      )}
      {role === 'observer' && (
        <>
          {typeof round.temperature === 'number' && (
            <p class="anger-chip" data-testid="observer-anger">
              {t('live.customer_anger', { level: round.temperature, word: angerWord(round.temperature) })}
            </p>
          )}
          <ObserverPanel conn={conn} />
        </>
      )}
    </section>
  );
}

function Scoring({ conn }) {
  const role = conn.role || 'observer';
  return (
    <section class="panel scoring" aria-labelledby="sc-h" data-testid="scoring">
      <h1 id="sc-h" class="sr-only">
        {t('phase.scoring')}
      </h1>
      {role === 'observer' ? <FinalScores conn={conn} /> : <ReflectionForm conn={conn} />}
      <p class="muted waiting-note">{t('scoring.waiting')}</p>
    </section>
  );
}

function Review({ conn }) {
  const role = conn.role;
  return (
    <section class="panel review" data-testid="review">
      <Results conn={conn} headingLevel={1} />
      {(role === 'customer' || role === 'agent') && (
        <details class="brief-details" open={!conn.round.my_reflection}>
          <summary>{t('reflect.yours')}</summary>
          <ReflectionForm conn={conn} />
        </details>
      )}
      <p class="muted waiting-note">{t('review.waiting')}</p>
      {/* the summary grows with every revealed round; at the end it is what people take home */}
      <SummaryLink code={conn.code} token={conn.token} />
    </section>
  );
}
