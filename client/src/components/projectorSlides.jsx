// The projector's slides before and during a round, and at the end.
import { t } from '../i18n.js';
import { hostKey } from '../storage.js';
import { joinUrlFor } from '../util.js';
import { observersDone, playersReflected } from '../projector.js';
import { Clock, RoleBadge } from './common.jsx';
import { LiveAggregate } from './LiveAggregate.jsx';
import { ProjectorPaused } from './projectorNotices.jsx';
import { QR } from './QR.jsx';
import { useResults } from './Debrief.jsx';

// "host/join/CODE", with a line-break chance before "/join/" only.
function ShortUrl({ url }) {
  const bare = url.replace(/^https?:\/\//, '');
  const at = bare.lastIndexOf('/join/');
  if (at < 0) return bare;
  return (
    <>
      {bare.slice(0, at)}
      <wbr />
      <span class="nowrap">{bare.slice(at)}</span>
    </>
  );
}

// The lobby: how to get in, as large as the screen allows, and how many are in.
export function LobbySlide({ conn }) {
  const { code, state } = conn;
  // the link the console chose (e.g. the LAN address instead of 127.0.0.1)
  const url = (hostKey(code) || {}).join_url || joinUrlFor(code);
  const count = state.participants.length;
  return (
    <section class="projector-slide projector-lobby" aria-labelledby="pj-join-h" data-testid="join-info">
      <div class="projector-qr">
        <QR text={url} label={t('console.qr_label', { url })} />
      </div>
      <div class="projector-join">
        <h2 id="pj-join-h" class="projector-kicker">
          {t('console.join_here')}
        </h2>
        <p class="projector-join-url" data-testid="join-url">
          <ShortUrl url={url} />
        </p>
        <p class="projector-kicker">{t('projector.code_label')}</p>
        <p class="projector-code" data-testid="room-code" aria-label={t('room.code_label', { code: code.split('').join(' ') })}>
          {code}
        </p>
        <p class="projector-count" data-testid="projector-people" role="status">
          {count ? t('projector.people', { count }) : t('projector.people_none')}
        </p>
        <p class="projector-hint">{t('projector.lobby_hint')}</p>
      </div>
    </section>
  );
}

function RoundHead({ round, lang }) {
  return (
    <header class="projector-round-head">
      <p class="projector-kicker">
        {t('projector.round', { n: round.number })} · {t('round.difficulty', { n: round.card.difficulty })}
      </p>
      <h2 class="projector-card-title" lang={lang}>
        {round.card.title}
      </h2>
    </header>
  );
}

function Cast({ conn, round }) {
  return (
    <p class="projector-cast">
      <span>
        <RoleBadge role="customer" /> {conn.nameOf(round.customer) || '?'}
      </span>
      <span>
        <RoleBadge role="agent" /> {conn.nameOf(round.agent) || '?'}
      </span>
    </p>
  );
}

// Briefing, role-play and pause: the card, who plays, and the clock.
export function PlaySlide({ conn }) {
  const round = conn.round;
  const { phase } = conn.state;
  const playing = phase === 'roleplay' || phase === 'paused';
  // a fishbowl's live counts, when the facilitator puts them on the screen
  const options = conn.state.options || {};
  const counts = playing && options.fishbowl && options.projector_live && round.live;
  return (
    <section class={`projector-slide projector-play${playing ? ' with-clock' : ''}${counts ? ' with-counts' : ''}`} data-testid="projector-round">
      <div class="projector-play-card">
        <RoundHead round={round} lang={conn.state.deck.language} />
        {round.card.setting && (
          <p class="projector-setting" lang={conn.state.deck.language}>
            {round.card.setting}
          </p>
        )}
        <Cast conn={conn} round={round} />
        {phase === 'briefing' && <p class="projector-hint projector-hint-strong">{t('projector.briefing_hint')}</p>}
      </div>
      {playing && (
        <div class="projector-clock" data-testid="projector-clock">
          <ProjectorPaused conn={conn} />
          <Clock conn={conn} size="huge" />
        </div>
      )}
      {counts && (
        <div class="projector-counts">
          <LiveAggregate state={conn.state} live={round.live} level={2} />
        </div>
      )}
    </section>
  );
}

function Meter({ done, total }) {
  const share = total ? done / total : 0;
  return (
    <div class="projector-meter" aria-hidden="true">
      <span style={{ width: `${share * 100}%` }} />
    </div>
  );
}

// Scoring: how far the observers are, in numbers; no names, no scores.
export function ScoringSlide({ conn }) {
  const round = conn.round;
  const observers = observersDone(conn.state);
  const players = playersReflected(conn.state);
  return (
    <section class="projector-slide projector-scoring" data-testid="projector-scoring">
      <RoundHead round={round} lang={conn.state.deck.language} />
      <div class="projector-progress-box">
        <h3 class="projector-progress-title">{t('projector.scoring_title')}</h3>
        {observers.total ? (
          <>
            <p class="projector-progress" data-testid="projector-progress" role="status">
              {t('projector.observers_done', { done: observers.done, count: observers.total })}
            </p>
            <Meter done={observers.done} total={observers.total} />
          </>
        ) : (
          <p class="projector-progress" data-testid="projector-progress" role="status">
            {t('projector.no_observers')}
          </p>
        )}
        {players.total > 0 && (
          <p class="projector-players" data-testid="projector-reflected">
            {t('projector.players_reflected', { done: players.done, count: players.total })}
          </p>
        )}
      </div>
      <p class="projector-hint">{t('projector.scoring_hint')}</p>
    </section>
  );
}

const MAX_LISTED_ROUNDS = 6;

// The end of the workshop: thanks, the rounds played, one line to take along.
export function EndSlide({ conn }) {
  const { state } = conn;
  const { results } = useResults(conn.code, state.version);
  const rounds = results ? results.rounds : [];
  const played = results ? rounds.length : state.round ? state.round.number : 0;
  const listed = rounds.slice(-MAX_LISTED_ROUNDS);
  return (
    <section class="projector-slide projector-end" aria-labelledby="pj-end-h" data-testid="closed-info">
      <p class="projector-kicker">{t('console.closed_projector_title')}</p>
      <h2 id="pj-end-h" class="projector-end-title">
        {t('console.closed_projector')}
      </h2>
      {played > 0 && (
        <div class="projector-end-rounds" data-testid="projector-rounds">
          <p class="projector-end-count">{t('projector.rounds', { count: played })}</p>
          {listed.length > 0 && (
            <ol class="projector-end-list" start={rounds.length - listed.length + 1}>
              {listed.map((r) => (
                <li key={r.id} lang={state.deck.language}>
                  {r.card.title}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
      <p class="projector-takeaway" data-testid="projector-takeaway">
        {t('projector.takeaway')}
      </p>
    </section>
  );
}
