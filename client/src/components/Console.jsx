import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { getDeck, getNetwork } from '../api.js';
import { focusMainAction } from '../focus.js';
import { navigate, useRoom } from '../hooks.js';
import { t } from '../i18n.js';
import { isLoopbackUrl } from '../network.js';
import { forgetHost, hostKey, rememberHost } from '../storage.js';
import { formatMs, joinUrlFor, takeKeyFromHash } from '../util.js';
import { AngerCurve, angerWord } from './anger.jsx';
import { AgentBrief, CardHead, CustomerBrief, Rubric } from './briefs.jsx';
import {
  authorName,
  cardSteps,
  Clock,
  ConfirmButton,
  ErrorText,
  Header,
  Loading,
  Notices,
  OfflineBanner,
  ParticipantList,
  PhaseBadge,
  RoleBadge,
  scaleLabel,
} from './common.jsx';
import { PausedBanner } from './Participant.jsx';
import { LockIcon } from './icons.jsx';
import { AtTheDoor, TakeoverAsks } from './Doorway.jsx';
import { QR } from './QR.jsx';
import { Reflections, Results } from './results.jsx';
import { FinalScores } from './scoring.jsx';
import { Debrief, useDeck } from './Debrief.jsx';
import { AftercarePage, CheckInPanel, RevealButton } from './Aftercare.jsx';
import { CardNotes, DeckIntroduction } from './CardNotes.jsx';
import { DeleteRoom } from './RoomActions.jsx';
import { TabList, TabPanel } from './Tabs.jsx';
import { Projector } from './Projector.jsx';

// A facilitator key may come in the link's fragment (#key=...), to open the
// console on a second device; it is taken out of the address at once. It is
// remembered when this browser holds no key for the room (or the same one);
// a different key is returned instead, for the page to ask first: a link from
// someone else must not silently swap the key this browser hosts with.
export function keyFromHash(code) {
  const token = takeKeyFromHash();
  if (!token) return null;
  const held = hostKey(code);
  if (held && held.token && held.token !== token) return token;
  if (!held || held.token !== token) rememberHost(code, { token, created_ms: Date.now() });
  return null;
}

// Asked when a link brings a different key than the one this browser holds.
export function KeyChoice({ code, token, onDone }) {
  const choose = (replace) => () => {
    if (replace) rememberHost(code, { token, created_ms: Date.now() });
    onDone();
  };
  return (
    <section class="panel" role="alertdialog" aria-labelledby="keychoice-h" aria-describedby="keychoice-p" data-testid="key-choice">
      <h1 id="keychoice-h">{t('console.key_conflict_title')}</h1>
      <p id="keychoice-p">{t('console.key_conflict', { code })}</p>
      <div class="action-row">
        <button type="button" class="btn btn-primary" onClick={choose(false)} data-testid="key-keep">
          {t('console.key_keep')}
        </button>
        <button type="button" class="btn" onClick={choose(true)} data-testid="key-replace">
          {t('console.key_replace')}
        </button>
      </div>
    </section>
  );
}

export function ConsolePage({ code }) {
  const [pending, setPending] = useState(() => keyFromHash(code));
  return (
    <>
      <Header>
        <a class="header-link" href="/host" onClick={link('/host')}>
          {t('dashboard.link')}
        </a>
      </Header>
      <main id="main" class="page console-page">
        {pending ? <KeyChoice code={code} token={pending} onDone={() => setPending(null)} /> : <HostedConsole code={code} />}
      </main>
    </>
  );
}

// Connects only once the key is settled: useRoom reads the stored key.
function HostedConsole({ code }) {
  const conn = useRoom(code, 'facilitator');
  if (!conn) return <Loading />;
  if (conn.status === 'denied') return <NoKey code={code} />;
  if (conn.status === 'notFound' || conn.status === 'deleted') return <Gone code={code} />;
  if (!conn.state) return <Loading text={conn.status === 'offline' ? t('status.reconnecting') : undefined} />;
  return (
    <PhaseFocusRoot>
      <Console conn={conn} />
    </PhaseFocusRoot>
  );
}

export function link(path) {
  return (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(path);
  };
}

function NoKey({ code }) {
  const [key, setKey] = useState('');
  const submit = (e) => {
    e.preventDefault();
    if (!key.trim()) return;
    rememberHost(code, { token: key.trim(), created_ms: Date.now() });
    location.reload();
  };
  return (
    <section class="panel" aria-labelledby="nokey-h">
      <h1 id="nokey-h">{t('console.no_key_title')}</h1>
      <p>{t('console.no_key', { code })}</p>
      <form onSubmit={submit} class="stack">
        <label class="field">
          <span>{t('console.key')}</span>
          <input value={key} onInput={(e) => setKey(e.currentTarget.value)} autocomplete="off" />
        </label>
        <button class="btn btn-primary" type="submit">
          {t('console.use_key')}
        </button>
      </form>
      <p>
        <a href={`/join/${code}`}>{t('console.join_instead')}</a>
      </p>
    </section>
  );
}

function Gone({ code }) {
  return (
    <section class="panel" role="status">
      <h1>{t('end.not_found_title')}</h1>
      <p>{t('end.not_found', { code })}</p>
      <button
        type="button"
        class="btn"
        onClick={() => {
          forgetHost(code);
          navigate('/host');
        }}
      >
        {t('dashboard.forget')}
      </button>
    </section>
  );
}

async function copyText(text, input) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back below */
  }
  if (input) {
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
  return false;
}

function CopyField({ value, label, testid }) {
  const [copied, setCopied] = useState(false);
  let input = null;
  return (
    <div class="copy-field">
      <label class="field">
        <span>{label}</span>
        <input readOnly value={value} ref={(el) => (input = el)} onFocus={(e) => e.currentTarget.select()} data-testid={testid} />
      </label>
      <button
        type="button"
        class="btn"
        onClick={async () => {
          setCopied(await copyText(value, input));
          setTimeout(() => setCopied(false), 2500);
        }}
      >
        {copied ? t('console.copied') : t('console.copy')}
      </button>
    </div>
  );
}

// "host/join/CODE", with a line-break chance before "/join/" only.
function shortUrl(url) {
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

// Shown when the join link points at this computer only: what phones can
// use instead, when the server knows (GET /api/network), or how to let them in.
function LoopbackWarning({ code, url, onUse }) {
  const [net, setNet] = useState(null);
  useEffect(() => {
    getNetwork().then((r) => r.ok && setNet(r)); // unanswered: the warning alone, no advice
  }, []);
  const host = new URL(url).host;
  const lan = net && net.lan_urls && net.lan_urls[0];
  return (
    <div class="banner banner-warn loopback-warning" role="note" data-testid="loopback-warning">
      <p>{t('console.loopback', { host })}</p>
      {lan && (
        <>
          <p>{t('console.loopback_lan', { url: lan })}</p>
          <button type="button" class="btn btn-small" onClick={() => onUse(`${lan}/join/${code}`)} data-testid="use-lan">
            {t('console.loopback_use', { host: new URL(lan).host })}
          </button>
        </>
      )}
      {net && !lan && !net.listening_on_lan && (
        <p>
          {t('console.loopback_restart')} <code>make run SERVE_ARGS="--lan"</code>
        </p>
      )}
      {net && !lan && net.listening_on_lan && <p>{t('console.loopback_no_network')}</p>}
    </div>
  );
}

// A closed room invites nobody: no code to type, no QR, no link; it says so.
function ClosedInfo() {
  return (
    <section class="join-info join-closed" aria-labelledby="closedinfo-h" data-testid="closed-info">
      <h2 id="closedinfo-h">{t('console.closed_title')}</h2>
      <p>{t('console.closed_no_join')}</p>
    </section>
  );
}

function JoinInfo({ conn }) {
  const { code } = conn;
  const info = hostKey(code) || {};
  const [url, setUrl] = useState(() => info.join_url || joinUrlFor(code));
  if (conn.state.phase === 'closed') return <ClosedInfo />;
  const useUrl = (next) => {
    rememberHost(code, { join_url: next });
    setUrl(next);
  };
  return (
    <section class="join-info" aria-labelledby="joininfo-h" data-testid="join-info">
      <h2 id="joininfo-h" class="label">
        {t('console.join_here')}
      </h2>
      {isLoopbackUrl(url) && <LoopbackWarning code={code} url={url} onUse={useUrl} />}
      <p class="room-code" data-testid="room-code" aria-label={t('room.code_label', { code: code.split('').join(' ') })}>
        {code}
      </p>
      <QR text={url} label={t('console.qr_label', { url })} />
      <p class="join-url" data-testid="join-url">
        {shortUrl(url)}
      </p>
      <CopyField value={url} label={t('console.join_link')} testid="join-link" />
    </section>
  );
}

function People({ conn }) {
  const { state } = conn;
  const [error, setError] = useState(null);
  const kick = async (p, ban) => {
    setError(null);
    const ack = await conn.send('kick', ban ? { participant: p.id, ban: true } : { participant: p.id });
    if (!ack.ok) setError(ack.error);
  };
  const online = state.participants.filter((p) => p.connected).length;
  return (
    <section class="people-panel" aria-labelledby="people-h" data-testid="people">
      <h2 id="people-h">{t('console.people', { online, count: state.participants.length })}</h2>
      <ErrorText error={error} />
      <ParticipantList
        state={state}
        actions={(p) => (
          <>
          <ConfirmButton
            label={t('console.kick')}
            question={t('console.kick_q', { name: p.name })}
            confirmLabel={t('console.kick_yes')}
            option={{ label: t('console.kick_ban'), confirmLabel: t('console.kick_ban_yes'), testid: 'kick-ban' }}
            onConfirm={(ban) => kick(p, ban)}
            class="btn btn-small btn-quiet"
            testid="kick"
          />
          <TakeoverAsks conn={conn} participant={p} />
          </>
        )}
      />
      <AtTheDoor conn={conn} />
    </section>
  );
}

function LockToggle({ conn }) {
  const [error, setError] = useState(null);
  const locked = conn.state.locked;
  const toggle = async () => {
    setError(null);
    const ack = await conn.send('lock_room', { locked: !locked });
    if (!ack.ok) setError(ack.error);
  };
  // The button names what it does; the line under it says how things are now.
  return (
    <div class="lock">
      <p class={`lock-state ${locked ? 'is-locked' : 'is-open'}`} data-testid="lock-state" role="status">
        <LockIcon open={!locked} /> {locked ? t('console.locked_hint') : t('console.open_hint')}
      </p>
      <button type="button" class="btn" aria-pressed={locked ? 'true' : 'false'} onClick={toggle} data-testid="lock">
        <LockIcon open={locked} /> {locked ? t('console.unlock') : t('console.lock')}
      </button>
      <ErrorText error={error} />
    </div>
  );
}

// Every command here changes the phase, which swaps the panel under the
// button just pressed: once it is done, focus goes to the new panel's main
// action (data-main-action), not to <body>.
const PhaseFocus = createContext(() => {});

// Holds the focus request of the last command. It stays open a moment: the
// new phase's state may come just before or just after the ack, and the new
// button may still be disabled; it waits until the console shows a phase
// other than the one the command was sent in.
function PhaseFocusRoot({ children }) {
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

function useCommand(conn) {
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

function StartRound({ conn, cards }) {
  const { state } = conn;
  const people = state.participants;
  const [card, setCard] = useState('');
  const [mode, setMode] = useState('rotate');
  const [customer, setCustomer] = useState('');
  const [agent, setAgent] = useState('');
  const [minutes, setMinutes] = useState(() =>
    state.round && state.round.clock.duration_s ? String(Math.round(state.round.clock.duration_s / 60)) : '',
  );
  const { error, busy, run } = useCommand(conn);
  const [localError, setLocalError] = useState(null);
  const enough = people.length >= 2;

  const submit = async (e) => {
    e.preventDefault();
    setLocalError(null);
    const payload = {};
    if (card) payload.card = card;
    if (mode === 'choose') {
      if (!customer || !agent) return setLocalError(t('start.pick_both'));
      if (customer === agent) return setLocalError(t('start.different'));
      payload.customer = customer;
      payload.agent = agent;
    }
    if (minutes.trim()) {
      const m = Number(minutes.replace(',', '.'));
      if (!(m >= 0.5 && m <= 60)) return setLocalError(t('start.minutes_range'));
      payload.duration_s = Math.round(m * 60);
    }
    await run('start_round', payload);
  };

  return (
    <form class="start-round stack" onSubmit={submit} aria-labelledby="start-h" data-testid="start-round">
      <h2 id="start-h">{state.round ? t('start.next_title') : t('start.title')}</h2>
      {!enough && <p class="banner banner-info">{t('start.need_two')}</p>}
      <label class="field">
        <span>{t('start.card')}</span>
        <select value={card} onChange={(e) => setCard(e.currentTarget.value)} name="card">
          <option value="">{t('start.card_auto')}</option>
          {cards.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title} · {t('round.difficulty', { n: c.difficulty })}
            </option>
          ))}
        </select>
      </label>
      <fieldset class="choices">
        <legend>{t('start.roles')}</legend>
        <label class="choice">
          <input type="radio" name="mode" value="rotate" checked={mode === 'rotate'} onChange={() => setMode('rotate')} />
          <span>{t('start.rotate')}</span>
        </label>
        <label class="choice">
          <input type="radio" name="mode" value="choose" checked={mode === 'choose'} onChange={() => setMode('choose')} />
          <span>{t('start.choose')}</span>
        </label>
      </fieldset>
      {mode === 'choose' && (
        <div class="two-cols">
          <PersonSelect t={t} role="customer" people={people} value={customer} onChange={setCustomer} />
          <PersonSelect t={t} role="agent" people={people} value={agent} onChange={setAgent} />
        </div>
      )}
      <label class="field field-short">
        <span>{t('start.minutes')}</span>
        <input type="number" inputMode="decimal" min="0.5" max="60" step="0.5" value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} name="minutes" />
        <small class="muted">{t('start.minutes_hint')}</small>
      </label>
      {localError && (
        <p class="error" role="alert">
          {localError}
        </p>
      )}
      <ErrorText error={error} />
      <button type="submit" class="btn btn-primary btn-big" disabled={busy || !enough} data-testid="start-button">
        {t('start.submit')}
      </button>
    </form>
  );
}

function BriefingPanel({ conn }) {
  const { state } = conn;
  const round = conn.round;
  const { error, busy, run } = useCommand(conn);
  return (
    <section class="stack" data-testid="console-briefing">
      <CardHead round={round} conn={conn} />
      <div class="action-row">
        <button type="button" class="btn btn-primary btn-big" disabled={busy} onClick={() => run('begin_roleplay')} data-testid="begin" data-main-action>
          {t('console.begin')}
        </button>
        <span class="muted">{t('console.begin_hint')}</span>
      </div>
      <ErrorText error={error} />
      <CardNotes card={round.card} lang={state.deck.language} open />
      <div class="brief-columns">
        <details class="brief-details" open>
          <summary>{t('brief.customer_title')}</summary>
          <CustomerBrief lang={conn.state.deck.language} brief={round.card.customer} />
        </details>
        <details class="brief-details" open>
          <summary>{t('brief.agent_title')}</summary>
          <AgentBrief lang={conn.state.deck.language} brief={round.card.agent} />
        </details>
      </div>
      <details class="brief-details">
        <summary>{t('rubric.title')}</summary>
        <Rubric deck={state.deck} steps={cardSteps(state)} />
      </details>
    </section>
  );
}

function LivePanel({ conn }) {
  const { state } = conn;
  const round = conn.round;
  const { scale } = state.deck;
  const steps = cardSteps(state);
  const paused = state.phase === 'paused';
  const { error, busy, run } = useCommand(conn);
  const marks = [...round.marks].sort((a, b) => b.t_ms - a.t_ms);
  const label = (key) => (steps.find((s) => s.key === key) || {}).label || key;
  return (
    <section class="stack" data-testid="console-live">
      <CardHead round={round} conn={conn} level={2} />
      <PausedBanner conn={conn} />
      <div class="live-controls">
        <Clock conn={conn} size="big" />
        <div class="action-row">
          {paused ? (
            <button type="button" class="btn btn-primary" disabled={busy} onClick={() => run('resume_round')} data-testid="resume" data-main-action>
              {t('console.resume')}
            </button>
          ) : (
            <button type="button" class="btn" disabled={busy} onClick={() => run('pause_round')} data-testid="pause" data-main-action>
              {t('console.pause')}
            </button>
          )}
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => run('end_roleplay')} data-testid="end">
            {t('console.end')}
          </button>
        </div>
      </div>
      <ErrorText error={error} />
      <CardNotes card={round.card} lang={state.deck.language} open />
      <div class="live-grid">
        <section aria-labelledby="curve-h" class="live-curve">
          <h3 id="curve-h">
            {t('console.anger')}{' '}
            <span class="anger-now" data-testid="console-anger">
              {round.temperature}
            </span>
            <span class="muted">/10 · {angerWord(round.temperature)}</span>
          </h3>
          <AngerCurve round={round} elapsedMs={conn.elapsedMs()} marks={round.marks} />
        </section>
        <section aria-labelledby="feed-h" class="feed">
          <h3 id="feed-h">{t('console.feed', { count: marks.length })}</h3>
          <ul class="step-tally">
            {steps.map((s) => {
              const n = round.marks.filter((m) => m.step === s.key).length;
              return (
                <li key={s.key} class={n ? '' : 'muted'}>
                  {s.label}: <strong>{n}</strong>
                </li>
              );
            })}
          </ul>
          {marks.length === 0 ? (
            <p class="muted">{t('console.feed_empty')}</p>
          ) : (
            <ol class="marks feed-list" aria-live="polite" data-testid="feed">
              {marks.map((m) => (
                <li class="mark" key={`${m.author}-${m.id}`}>
                  <span class="mark-time">{formatMs(m.t_ms)}</span>
                  <span class="mark-who">{authorName(conn, m.author)}</span>
                  <span class="mark-step">{label(m.step)}</span>
                  <span class="mark-rating">{scaleLabel(scale, m.rating)}</span>
                  {m.note && <span class="mark-note">{m.note}</span>}
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </section>
  );
}

function ScoringPanel({ conn }) {
  const { state } = conn;
  const round = conn.round;
  const steps = cardSteps(state);
  const { error, busy, run } = useCommand(conn);
  const observers = state.participants.filter((p) => p.role === 'observer');
  const players = state.participants.filter((p) => p.role === 'customer' || p.role === 'agent');
  const reflected = new Set((round.reflections || []).map((r) => r.author));
  const deck = useDeck(state.deck.id, conn.code);
  return (
    <section class="stack" data-testid="console-scoring">
      <CardHead round={round} conn={conn} level={2} />
      <CheckInPanel conn={conn} deck={deck} />
      <div class="action-row" data-main-action>
        <RevealButton conn={conn} busy={busy} onReveal={() => run('reveal_results')} />
        <span class="muted">{t('console.reveal_hint')}</span>
      </div>
      <ErrorText error={error} />
      <AftercarePage deck={deck} />
      <h3>{t('console.progress')}</h3>
      <table class="progress-table">
        <thead>
          <tr>
            <th scope="col">{t('console.who')}</th>
            <th scope="col">{t('console.task')}</th>
            <th scope="col">{t('console.status')}</th>
          </tr>
        </thead>
        <tbody>
          {observers.map((p) => {
            const done = steps.filter((s) => round.scores.some((sc) => sc.author === p.id && sc.step === s.key)).length;
            const global = round.global_ratings[p.id];
            return (
              <tr key={p.id}>
                <th scope="row">{p.name}</th>
                <td>{t('console.scores_task')}</td>
                <td>
                  {t('scoring.progress', { done, total: steps.length })}
                  {global ? ` · ${t('scoring.global_done')}` : ''}
                </td>
              </tr>
            );
          })}
          {players.map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.name}</th>
              <td>
                {t('console.reflect_task')} (<RoleBadge role={p.role} />)
              </td>
              <td>{reflected.has(p.id) ? t('console.done') : t('console.not_yet')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <FinalScores conn={conn} facilitator />
      <details class="brief-details">
        <summary>{t('console.scores_so_far')}</summary>
        <Results conn={conn} showReflections headingLevel={3} />
      </details>
    </section>
  );
}

// The deck's facilitator page before the first round: the opening and the after-care.
function LobbyNotes({ conn }) {
  const deck = useDeck(conn.state.deck.id, conn.code);
  if (!deck || !deck.facilitator) return null;
  return (
    <div class="stack lobby-notes">
      <DeckIntroduction deck={deck} />
      <AftercarePage deck={deck} />
    </div>
  );
}

function OpenDebrief({ onDebrief }) {
  return (
    <div class="open-debrief">
      <button type="button" class="btn btn-primary" onClick={onDebrief} data-testid="open-debrief" data-main-action>
        {t('console.open_debrief')}
      </button>
      <span class="muted">{t('console.open_debrief_hint')}</span>
    </div>
  );
}

function ReviewPanel({ conn, cards, onDebrief }) {
  const deck = useDeck(conn.state.deck.id, conn.code);
  return (
    <section class="stack" data-testid="console-review">
      <OpenDebrief onDebrief={onDebrief} />
      <AftercarePage deck={deck} />
      <Results conn={conn} headingLevel={2} />
      <Reflections conn={conn} />
      <StartRound conn={conn} cards={cards} />
    </section>
  );
}

function HostLink({ conn }) {
  const info = hostKey(conn.code);
  if (!info || !info.token) return null;
  return (
    <details class="brief-details host-link">
      <summary>{t('console.other_device')}</summary>
      <p class="muted small">{t('console.other_device_hint')}</p>
      <CopyField value={`${location.origin}/host/${conn.code}#key=${encodeURIComponent(info.token)}`} label={t('console.host_link')} />
    </details>
  );
}

function Console({ conn }) {
  const { state } = conn;
  const [cards, setCards] = useState([]);
  const [projector, setProjector] = useState(() => new URLSearchParams(location.search).has('projector'));
  const [view, setViewState] = useState(() => (new URLSearchParams(location.search).get('view') === 'debrief' ? 'debrief' : 'control'));
  // Opening or leaving the projector view swaps the whole page: focus goes
  // to the button that leads back (only when the facilitator switched here,
  // not when the page was opened as ?projector).
  const switched = useRef(false);
  const showProjector = (on) => {
    switched.current = true;
    setProjector(on);
  };
  useEffect(() => {
    if (!switched.current) return;
    switched.current = false;
    const back = document.querySelector(projector ? '[data-testid=projector-exit]' : '[data-testid=projector]');
    if (back) back.focus();
  }, [projector]);
  const { error, run } = useCommand(conn);
  // the view is kept in the address (?view=debrief), so a reload stays there
  const setView = (v) => {
    setViewState(v);
    const params = new URLSearchParams(location.search);
    if (v === 'debrief') params.set('view', 'debrief');
    else params.delete('view');
    const query = params.toString().replace(/=(&|$)/g, '$1');
    history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}`);
    window.scrollTo(0, 0);
  };
  useEffect(() => {
    getDeck(state.deck.id, { room: conn.code, token: (hostKey(conn.code) || {}).token }).then((d) => {
      if (d.ok) setCards(d.cards.map((c) => ({ id: c.id, title: c.title, difficulty: c.difficulty })));
    });
  }, [state.deck.id]);
  useEffect(() => {
    rememberHost(conn.code, { title: state.title });
  }, [state.title]);
  useEffect(() => {
    if (!projector) return undefined;
    const onKey = (e) => e.key === 'Escape' && showProjector(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [projector]);

  if (projector) return <Projector conn={conn} onExit={() => showProjector(false)} />;
  const { phase } = state;
  // the debrief opens once a round has been revealed (or the room is closed)
  const hasDebrief = !!state.round && (state.round.revealed || state.round.number > 1 || phase === 'closed');
  const debrief = hasDebrief && view === 'debrief';
  const openDebrief = () => setView('debrief');
  return (
    <div class="console" data-phase={phase}>
      <div class="console-top">
        <h1 class="console-title">
          {state.title} <PhaseBadge phase={phase} />
        </h1>
        <div class="action-row">
          <button type="button" class="btn btn-small" onClick={() => showProjector(true)} data-testid="projector">
            {t('console.projector')}
          </button>
          <a class="btn btn-small btn-quiet" href={`/host/${conn.code}?projector`} target="_blank" rel="noopener">
            {t('console.projector_window')}
          </a>
        </div>
      </div>
      <OfflineBanner conn={conn} />
      <Notices conn={conn} />
      {hasDebrief && (
        <TabList
          tabs={[
            { id: 'control', label: t('console.view_control'), testid: 'view-control' },
            { id: 'debrief', label: t('console.view_debrief'), testid: 'view-debrief' },
          ]}
          selected={debrief ? 'debrief' : 'control'}
          onSelect={setView}
          label={t('console.views')}
          idPrefix="console"
          class="console-tabs"
        />
      )}
      {debrief ? (
        <TabPanel idPrefix="console" selected="debrief" class="console-debrief">
          <Debrief conn={conn} />
        </TabPanel>
      ) : (
        <ConsoleBody hasDebrief={hasDebrief}>
          <div class={`console-grid${phase === 'lobby' || phase === 'closed' ? '' : ' in-round'}`}>
            <aside class="console-side">
              <JoinInfo conn={conn} />
              <People conn={conn} />
              {phase !== 'closed' && <LockToggle conn={conn} />}
            </aside>
            <div class="console-main">
              {phase === 'lobby' && <LobbyNotes conn={conn} />}
              {phase === 'lobby' && <StartRound conn={conn} cards={cards} />}
              {phase === 'briefing' && <BriefingPanel conn={conn} />}
              {(phase === 'roleplay' || phase === 'paused') && <LivePanel conn={conn} />}
              {phase === 'scoring' && <ScoringPanel conn={conn} />}
              {phase === 'review' && <ReviewPanel conn={conn} cards={cards} onDebrief={openDebrief} />}
              {phase === 'closed' && (
                <section class="panel" data-testid="console-closed">
                  <h2 tabIndex={-1} data-main-action>
                    {t('console.closed')}
                  </h2>
                  {hasDebrief && <OpenDebrief onDebrief={openDebrief} />}
                  {state.round && <Results conn={conn} showReflections headingLevel={3} />}
                </section>
              )}
            </div>
          </div>
        </ConsoleBody>
      )}
      <footer class="console-foot">
        <HostLink conn={conn} />
        <div class="danger">
          {phase !== 'closed' && (
            <div class="danger-row">
              <ConfirmButton
                label={t('console.close')}
                question={t('console.close_q')}
                confirmLabel={t('console.close_yes')}
                onConfirm={() => run('close_room')}
                testid="close-room"
              />
              <span class="muted small">{t('console.close_hint')}</span>
            </div>
          )}
          <div class="danger-row">
            <DeleteRoom code={conn.code} />
            <span class="muted small">{t('delete.hint')}</span>
          </div>
          <ErrorText error={error} />
        </div>
      </footer>
    </div>
  );
}

// The round controls; inside a tab panel once the debrief tab is there.
function ConsoleBody({ hasDebrief, children }) {
  if (!hasDebrief) return children;
  return (
    <TabPanel idPrefix="console" selected="control">
      {children}
    </TabPanel>
  );
}

function PersonSelect({ t, role, people, value, onChange }) {
  return (
    <label class="field">
      <span>{t(`role.${role}`)}</span>
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)} name={role}>
        <option value="">{t('start.pick')}</option>
        {people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
            {p.connected ? '' : ` (${t('presence.away')})`}
          </option>
        ))}
      </select>
    </label>
  );
}
