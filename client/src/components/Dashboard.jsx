import { useState } from 'preact/hooks';
import { useRoom } from '../hooks.js';
import { t } from '../i18n.js';
import { forgetHost, hostedRooms } from '../storage.js';
import { Clock, Header, PhaseBadge, cardSteps } from './common.jsx';
import { link } from './Console.jsx';

// Every room this browser hosts, each live over its own connection.
export function Dashboard() {
  const [rooms, setRooms] = useState(() => hostedRooms());
  // after "delete room and all results" the console comes back here
  const [deleted] = useState(() => {
    const code = (history.state && history.state.deleted) || null;
    if (code) history.replaceState(null, '', location.href); // not again after a reload
    return code;
  });
  const forget = (code) => {
    forgetHost(code);
    setRooms(hostedRooms());
  };
  return (
    <>
      <Header />
      <main id="main" class="page dashboard-page">
        <div class="console-top">
          <h1>{t('dashboard.title')}</h1>
          <a class="btn btn-primary" href="/#create" onClick={link('/')}>
            {t('dashboard.new')}
          </a>
        </div>
        {deleted && (
          <p class="banner banner-info" role="status" data-testid="deleted-banner">
            {t('delete.done', { code: deleted })}
          </p>
        )}
        <p class="muted">{t('dashboard.hint')}</p>
        {rooms.length === 0 ? (
          <p class="panel">{t('dashboard.empty')}</p>
        ) : (
          <ul class="room-cards">
            {rooms.map((r) => (
              <RoomCard key={r.code} info={r} onForget={() => forget(r.code)} />
            ))}
          </ul>
        )}
      </main>
    </>
  );
}

function progressText(conn) {
  const { state } = conn;
  const round = conn.round;
  if (!round || state.phase === 'lobby') return t('dashboard.waiting');
  const steps = cardSteps(state);
  const observers = state.participants.filter((p) => p.role === 'observer');
  switch (state.phase) {
    case 'briefing':
      return t('dashboard.briefing');
    case 'roleplay':
    case 'paused':
      return t('dashboard.marks', { count: round.marks.length });
    case 'scoring': {
      const done = observers.filter((p) => steps.every((s) => round.scores.some((sc) => sc.author === p.id && sc.step === s.key))).length;
      return t('dashboard.scored', { done, total: observers.length });
    }
    case 'review':
      return t('dashboard.revealed');
    default:
      return '';
  }
}

function RoomCard({ info, onForget }) {
  const conn = useRoom(info.code, 'facilitator');
  const state = conn && conn.state;
  const round = conn && conn.round;
  const failed = conn && ['notFound', 'deleted', 'denied'].includes(conn.status);
  const online = state ? state.participants.filter((p) => p.connected).length : 0;
  return (
    <li class="room-card" data-testid="room-card" data-code={info.code}>
      <div class="room-card-head">
        <h2>
          <a href={`/host/${info.code}`} onClick={link(`/host/${info.code}`)}>
            {(state && state.title) || info.title || info.code}
          </a>
        </h2>
        {state && <PhaseBadge phase={state.phase} />}
      </div>
      {state && state.phase === 'closed' ? (
        <p class="room-card-closed" data-testid="room-closed">
          {t('dashboard.closed', { code: info.code })}
        </p>
      ) : (
        <p class="room-card-code">
          <span class="sr-only">{t('dashboard.code')}</span>
          {info.code}
        </p>
      )}
      {failed && <p class="error">{t('dashboard.gone')}</p>}
      {!state && !failed && <p class="muted">{t('status.connecting')}</p>}
      {state && (
        <>
          <p>
            {t('dashboard.people', { online, count: state.participants.length })}
            {round && state.phase !== 'lobby' && ` · ${t('round.number', { n: round.number })}: ${round.card.title}`}
          </p>
          <p class="room-card-progress" data-testid="room-progress">
            {progressText(conn)}
          </p>
          {(state.phase === 'roleplay' || state.phase === 'paused') && <Clock conn={conn} />}
        </>
      )}
      <div class="action-row">
        <a class="btn btn-primary" href={`/host/${info.code}`} onClick={link(`/host/${info.code}`)}>
          {t('dashboard.open')}
        </a>
        <button type="button" class="btn btn-quiet" onClick={onForget}>
          {t('dashboard.forget')}
        </button>
      </div>
    </li>
  );
}
