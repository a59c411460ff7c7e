// The console of one room: its title and views, the side (join info, people,
// lock), the panel of the phase, and the room's dangerous actions.
import { useEffect, useRef, useState } from 'preact/hooks';
import { getDeck } from '../../api.js';
import { t } from '../../i18n.js';
import { hostKey, rememberHost } from '../../storage.js';
import { ConfirmButton, ErrorText, Notices, OfflineBanner, PhaseBadge } from '../common.jsx';
import { Results } from '../results.jsx';
import { Debrief } from '../Debrief.jsx';
import { DeleteRoom } from '../RoomActions.jsx';
import { TabList, TabPanel } from '../Tabs.jsx';
import { Projector } from '../Projector.jsx';
import { CopyField, JoinInfo } from './JoinInfo.jsx';
import { LockToggle, People } from './People.jsx';
import { RoomOptions } from '../RoomOptions.jsx';
import { useCommand } from './command.jsx';
import { LobbyNotes, StartRound } from './Lobby.jsx';
import { BriefingPanel } from './Briefing.jsx';
import { LivePanel } from './Roleplay.jsx';
import { ScoringPanel } from './Scoring.jsx';
import { OpenDebrief, ReviewPanel } from './Review.jsx';

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

export function Console({ conn }) {
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
              {phase !== 'closed' && <RoomOptions conn={conn} />}
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
