// Beside the card editor: what each role's screen shows for this card at the
// start of a round, from the server's own views (POST /api/studio/preview),
// drawn by the components of the live screens.
import { useEffect, useState } from 'preact/hooks';
import { EndLanguage, InLanguage, t } from '../../i18n.js';
import { nameInState } from '../../names.js';
import { AgentBrief, CardHead, CustomerBrief, Rubric } from '../briefs.jsx';
import { cardSteps, ErrorText, Loading } from '../common.jsx';
import { PlaySlide } from '../projectorSlides.jsx';
import { TabList, TabPanel } from '../Tabs.jsx';
import { useDebouncedAnswer } from './checks.js';

const ROLES = ['customer', 'agent', 'observer', 'projector'];

// What the live screens get from a RoomConnection, for a state that stands still.
function stillConnection(state) {
  return { code: state.code || 'PREVIEW', state, round: state.round, nameOf: (id) => nameInState(state, id), elapsedMs: () => 0, notices: [] };
}

function PhoneView({ role, state }) {
  const conn = stillConnection(state);
  const { round } = conn;
  if (!round) return null;
  const { card } = round;
  const lang = state.deck.language;
  return (
    <div class="preview-phone" data-testid={`preview-${role}`}>
      <div class={`role-intro role-intro-${role}`}>
        <h3>{t(`briefing.you_are_${role}`)}</h3>
        <p>{t(`briefing.${role}_does`)}</p>
      </div>
      <CardHead round={round} conn={conn} level={3} />
      {role === 'customer' && card.customer && <CustomerBrief lang={lang} brief={card.customer} title={t('brief.your_brief')} own level={4} />}
      {role === 'agent' && card.agent && <AgentBrief lang={lang} brief={card.agent} title={t('brief.your_brief')} own level={4} />}
      {role === 'observer' && (
        <>
          {card.customer && <CustomerBrief lang={lang} brief={card.customer} title={t('brief.customer_title')} level={4} />}
          {card.agent && <AgentBrief lang={lang} brief={card.agent} title={t('brief.agent_title')} level={4} />}
          <Rubric deck={state.deck} steps={cardSteps(state)} />
        </>
      )}
    </div>
  );
}

function ProjectorView({ state }) {
  const conn = stillConnection(state);
  if (!conn.round) return null;
  return (
    <div class="preview-projector" data-testid="preview-projector">
      <PlaySlide conn={conn} />
    </div>
  );
}

// `valid`: the validator found no problem in this very draft; only then is
// there a preview to ask for (the last one stays while it is being typed).
export function Preview({ api, deck, cardId, valid, invalid }) {
  const [role, setRole] = useState('customer');
  const { answer, pending } = useDebouncedAnswer(() => (valid ? api.preview(deck, cardId) : Promise.resolve(null)), [valid, cardId], 0);
  const [last, setLast] = useState(null);
  useEffect(() => {
    if (answer) setLast(answer);
  }, [answer]);
  const shown = invalid ? null : answer || last;
  let body;
  if (invalid) body = <p class="muted" data-testid="preview-unavailable">{t('studio.preview_invalid')}</p>;
  else if (!shown) body = <Loading text={t('studio.preview_loading')} />;
  else if (!shown.ok) {
    body = (
      <p class="muted" data-testid="preview-unavailable">
        <ErrorText error={shown.error} />
      </p>
    );
  } else if (role === 'projector') body = <ProjectorView state={shown.projector} />;
  else body = <PhoneView role={role} state={shown[role]} />;
  return (
    <aside class="studio-preview" aria-labelledby="preview-h" data-testid="preview" aria-busy={pending ? 'true' : 'false'}>
      <h2 id="preview-h">{t('studio.preview')}</h2>
      <p class="muted small">{t('studio.preview_hint', { language: t(`studio.lang.${deck.language}`, { defaultValue: deck.language }) })}</p>
      <TabList
        tabs={ROLES.map((r) => ({ id: r, label: t(`studio.preview_role.${r}`), testid: `preview-tab-${r}` }))}
        selected={role}
        onSelect={setRole}
        label={t('studio.preview')}
        idPrefix="preview"
      />
      <TabPanel idPrefix="preview" selected={role}>
        <div lang={deck.language}>
          <InLanguage lang={deck.language} />
          {body}
          <EndLanguage />
        </div>
      </TabPanel>
    </aside>
  );
}
