// One deck in the editor (/studio/deck/<id>): forms for everything the deck
// format has, checked by the server's validator as it is typed, a preview per
// role beside the card, versions and the other language. Unsaved work is kept
// in this browser (drafts.js) until it is saved or discarded.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { navigate } from '../../hooks.js';
import { t } from '../../i18n.js';
import { draftStore, isChanged } from '../../studio/drafts.js';
import { countUnder, fieldId, getIn, locate, parsePath } from '../../studio/paths.js';
import { ErrorText, Loading } from '../common.jsx';
import { TabList, TabPanel } from '../Tabs.jsx';
import { CardForm } from './CardForm.jsx';
import { CardList } from './CardList.jsx';
import { useValidation } from './checks.js';
import { DeckForm } from './DeckForm.jsx';
import { EditorBar } from './EditorBar.jsx';
import { EditorContext } from './fields.jsx';
import { Languages } from './Languages.jsx';
import { LeavePrompt, StudioLink, useLeaveGuard } from './leave.jsx';
import { Preview } from './Preview.jsx';
import { RubricForm } from './RubricForm.jsx';
import { Versions, when } from './Versions.jsx';

const drafts = draftStore();

// The field of a path, or the nearest enclosing one on screen, gets the focus.
function focusPath(path) {
  const parts = parsePath(path);
  for (let n = parts.length; n > 0; n -= 1) {
    const el = document.getElementById(fieldId(parts.slice(0, n)));
    if (el) {
      el.scrollIntoView({ block: 'center' });
      const target = el.matches('input, select, textarea') ? el : el.querySelector('input, select, textarea, button');
      if (target) target.focus();
      return;
    }
  }
}

function useDeck(api, id) {
  const [loaded, setLoaded] = useState(null); // {saved, info} or {error}
  const [deck, setDeck] = useState(null);
  const [restored, setRestored] = useState(null);
  const load = () => {
    const draft = drafts.load(id);
    // a deck started or imported here that the server does not have yet
    if (draft && draft.is_new) {
      setLoaded({ saved: null, info: { exists: false } });
      setDeck(draft.deck);
      return Promise.resolve();
    }
    return api.get(id).then((r) => {
      if (!r.ok) return setLoaded({ error: r.error });
      const info = { exists: true, version: r.version, builtin: r.builtin, archived: r.archived, based_on: r.based_on, untranslated: r.untranslated || [] };
      setLoaded({ saved: r.deck, info });
      if (draft && !r.builtin && isChanged(draft.deck, r.deck)) {
        setDeck(draft.deck);
        setRestored({ saved_ms: draft.saved_ms, older: draft.base_version !== null && draft.base_version !== r.version });
      } else {
        drafts.discard(id);
        setDeck(r.deck);
      }
    });
  };
  useEffect(() => {
    setLoaded(null);
    setDeck(null);
    setRestored(null);
    load();
  }, [id]);
  return { loaded, setLoaded, deck, setDeck, restored, setRestored, reload: load };
}

export function Editor({ api, id }) {
  const { loaded, setLoaded, deck, setDeck, restored, setRestored } = useDeck(api, id);
  const [tab, setTab] = useState('cards');
  const [card, setCard] = useState(0);
  const [status, setStatus] = useState('');
  const validation = useValidation(api, deck);
  const saved = loaded && loaded.saved;
  const info = (loaded && loaded.info) || {};
  const dirty = !!deck && (!saved || isChanged(deck, saved));
  const leave = useLeaveGuard(dirty && !info.builtin);
  // the draft follows every change; a deck back as it was saved has none
  useEffect(() => {
    if (!deck || !loaded || info.builtin) return undefined;
    const timer = setTimeout(() => {
      if (dirty) drafts.save(id, { deck, base_version: info.exists ? info.version : null, is_new: !info.exists });
      else drafts.discard(id);
    }, 250);
    return () => clearTimeout(timer);
  }, [deck, loaded]);
  const problems = validation.problems;
  const grouped = validation.grouped;
  const untranslated = useMemo(() => new Set(info.untranslated || []), [info.untranslated]);
  // a text still to translate stops being one as soon as it is changed here
  const toTranslate = (path, value) => untranslated.has(path) && saved && getIn(saved, path) === value;
  const ctx = { deck, problems: grouped, toTranslate, update: (fn) => (setStatus(''), setDeck((d) => fn(d))) };
  if (!loaded) return <Loading text={t('status.loading')} />;
  if (loaded.error) {
    return (
      <section class="panel">
        <ErrorText error={loaded.error} />
        <StudioLink to="/studio">{t('studio.back')}</StudioLink>
      </section>
    );
  }
  if (!deck) return <Loading text={t('status.loading')} />;
  const jump = (path) => {
    const at = locate(path);
    setTab(at.tab);
    if (at.card !== undefined) setCard(at.card);
    setTimeout(() => focusPath(path), 30);
  };
  // a save takes the texts it changed off the server's list of those to translate
  const refreshUntranslated = (deckId) =>
    api.get(deckId).then((g) => g.ok && setLoaded((l) => (l && l.saved ? { ...l, info: { ...l.info, untranslated: g.untranslated || [] } } : l)));
  const save = async () => {
    const r = info.exists ? await api.save(id, deck) : await api.create(deck);
    if (!r.ok) {
      setStatus('');
      return setLoaded({ ...loaded, saveError: r.error });
    }
    drafts.discard(id);
    setRestored(null);
    setDeck(r.deck);
    setLoaded({ saved: r.deck, info: { ...info, exists: true, version: r.version } });
    setStatus(t('studio.saved_version', { n: r.version }));
    refreshUntranslated(r.deck.id);
    if (r.deck.id !== id) {
      drafts.discard(r.deck.id);
      navigate(`/studio/deck/${r.deck.id}`, { replace: true });
    }
  };
  const discard = () => {
    drafts.discard(id);
    setRestored(null);
    if (!info.exists) return navigate('/studio');
    setDeck(saved);
  };
  const onRestored = (r) => {
    drafts.discard(id);
    setDeck(r.deck);
    setLoaded({ saved: r.deck, info: { ...info, version: r.version } });
    setStatus(t('studio.restored_as', { n: r.version }));
    refreshUntranslated(id);
  };
  const cardId = deck.cards && deck.cards[card] ? deck.cards[card].id : null;
  const readOnly = info.builtin;
  const count = (prefix) => countUnder(grouped, prefix);
  const deckProblems = problems.length - count('steps') - count('cards');
  const tabs = [
    { id: 'deck', label: t('studio.tab.deck'), sub: deckProblems ? t('studio.problems', { count: deckProblems }) : null },
    { id: 'rubric', label: t('studio.tab.rubric'), sub: count('steps') ? t('studio.problems', { count: count('steps') }) : null },
    { id: 'cards', label: t('studio.tab.cards'), sub: count('cards') ? t('studio.problems', { count: count('cards') }) : null },
    ...(info.exists ? [{ id: 'versions', label: t('studio.tab.versions') }] : []),
    { id: 'languages', label: t('studio.tab.languages') },
  ].map((x) => ({ ...x, testid: `tab-${x.id}` }));
  return (
    <EditorContext.Provider value={ctx}>
      <div class="studio-editor" data-testid="editor">
        <p>
          <StudioLink to="/studio" testid="back">
            {t('studio.back')}
          </StudioLink>
        </p>
        <LeavePrompt {...leave} onDiscard={() => drafts.discard(id)} />
        <p class="sr-only" id="sf-announce" aria-live="polite" />
        <h2 class="sf-deck-title">
          <span lang={deck.language}>{deck.title || t('studio.untitled')}</span>{' '}
          <span class="muted small">
            {deck.id} · {info.exists ? t('studio.version_n', { n: info.version }) : t('studio.not_saved_yet')}
            {info.based_on && ` · ${t('studio.based_on', { id: info.based_on })}`}
          </span>
        </h2>
        {readOnly && <p class="banner banner-warn">{t('studio.builtin_readonly')}</p>}
        {restored && (
          <p class="banner" role="status" data-testid="draft-restored">
            {t(restored.older ? 'studio.draft_restored_older' : 'studio.draft_restored', { when: when(restored.saved_ms) })}
          </p>
        )}
        <ErrorText error={loaded.saveError || validation.error} />
        <EditorBar
          api={api}
          deck={deck}
          problems={problems}
          pending={validation.pending}
          dirty={dirty}
          exists={info.exists}
          builtin={readOnly}
          onSave={save}
          onDiscard={discard}
          onJump={jump}
          status={status}
        />
        <TabList tabs={tabs} selected={tab} onSelect={setTab} label={t('studio.editor_tabs')} idPrefix="editor" />
        <TabPanel idPrefix="editor" selected={tab}>
          {tab === 'deck' && (
            <fieldset class="sf-plain" disabled={readOnly}>
              <DeckForm isNew={!info.exists} />
            </fieldset>
          )}
          {tab === 'rubric' && (
            <fieldset class="sf-plain" disabled={readOnly}>
              <RubricForm />
            </fieldset>
          )}
          {tab === 'cards' && (
            <div class="sf-cards">
              <CardList selected={card} onSelect={setCard} readOnly={readOnly} />
              <div class="sf-cards-main">
                <fieldset class="sf-plain" disabled={readOnly}>
                  <CardForm index={card} />
                </fieldset>
                {cardId && <Preview api={api} deck={deck} cardId={cardId} valid={validation.checked === deck && !problems.length} invalid={validation.checked === deck && problems.length > 0} />}
              </div>
            </div>
          )}
          {tab === 'versions' && <Versions api={api} id={id} current={info.version} lang={deck.language} builtin={readOnly} onRestored={onRestored} />}
          {tab === 'languages' && <Languages api={api} deck={deck} exists={info.exists} untranslated={info.untranslated} onJump={jump} />}
        </TabPanel>
      </div>
    </EditorContext.Provider>
  );
}
