// Every deck the server has (archived ones on request) with what a trainer
// decides by: language, cards, steps, version, last change, rooms. Start a
// new deck, copy one to adapt it, import a file, export, archive, delete.
import { useEffect, useState } from 'preact/hooks';
import { navigate } from '../../hooks.js';
import { t } from '../../i18n.js';
import { blankDeck, slug, uniqueName } from '../../studio/deckEdits.js';
import { draftStore } from '../../studio/drafts.js';
import { ConfirmButton, ErrorText, Loading } from '../common.jsx';
import { DECK_LANGUAGES } from './DeckForm.jsx';
import { exportDeck } from './EditorBar.jsx';
import { ImportDrop } from './ImportDrop.jsx';
import { StudioLink } from './leave.jsx';
import { when } from './Versions.jsx';

const drafts = draftStore();

function CopyForm({ api, deck, taken, onCancel }) {
  const [id, setId] = useState(uniqueName(`${deck.id}-copy`, taken));
  const [title, setTitle] = useState(deck.title);
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    const r = await api.copy(deck.id, id.trim(), title.trim());
    if (!r.ok) return setError(r.error);
    navigate(`/studio/deck/${r.deck.id}`);
  };
  return (
    <form class="sf-copy" onSubmit={submit} data-testid={`copy-form-${deck.id}`}>
      <div class="sf-field">
        <label for={`copy-title-${deck.id}`}>{t('studio.f.title')}</label>
        <input id={`copy-title-${deck.id}`} type="text" lang={deck.language} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
      </div>
      <div class="sf-field">
        <label for={`copy-id-${deck.id}`}>{t('studio.f.new_id')}</label>
        <input id={`copy-id-${deck.id}`} type="text" spellcheck={false} value={id} onInput={(e) => setId(e.currentTarget.value)} />
      </div>
      <button type="submit" class="btn btn-small btn-primary" data-testid={`copy-make-${deck.id}`}>
        {t('studio.copy_make')}
      </button>{' '}
      <button type="button" class="btn btn-small btn-quiet" onClick={onCancel}>
        {t('actions.cancel')}
      </button>
      <ErrorText error={error} />
    </form>
  );
}

function DeckRow({ api, d, taken, reload }) {
  const [copying, setCopying] = useState(false);
  const [error, setError] = useState(null);
  const act = (p) => p.then((r) => (r.ok ? (setError(null), reload()) : setError(r.error)));
  return (
    <tr data-testid={`studio-deck-${d.id}`}>
      <th scope="row">
        <StudioLink to={`/studio/deck/${d.id}`} testid={`open-${d.id}`}>
          <span lang={d.language}>{d.title}</span>
        </StudioLink>
        <span class="muted small sf-deckid">
          {d.id}
          {d.builtin && ` · ${t('studio.default_deck')}`}
          {d.based_on && ` · ${t('studio.based_on', { id: d.based_on })}`}
        </span>
        {d.archived && <span class="badge">{t('studio.archived')}</span>}
        {drafts.load(d.id) && <span class="badge">{t('studio.has_draft')}</span>}
      </th>
      <td>{d.language}</td>
      <td>{d.cards}</td>
      <td>{d.steps}</td>
      <td>{d.version}</td>
      <td>{when(d.updated_ms)}</td>
      <td>{d.rooms}</td>
      <td class="sf-deck-actions">
        {copying ? (
          <CopyForm api={api} deck={d} taken={taken} onCancel={() => setCopying(false)} />
        ) : (
          <button type="button" class="btn btn-small" onClick={() => setCopying(true)} data-testid={`copy-${d.id}`}>
            {t('studio.copy')}
          </button>
        )}{' '}
        <button type="button" class="btn btn-small btn-quiet" onClick={() => exportDeck(api, d.id).then((r) => setError(r.error || null))} data-testid={`export-${d.id}`}>
          {t('studio.export')}
        </button>{' '}
        <button type="button" class="btn btn-small btn-quiet" onClick={() => act(api.archive(d.id, !d.archived))} data-testid={`archive-${d.id}`}>
          {d.archived ? t('studio.unarchive') : t('studio.archive')}
        </button>{' '}
        {!d.builtin && (
          <ConfirmButton
            label={t('studio.delete')}
            question={d.rooms ? t('studio.delete_used_q', { count: d.rooms }) : t('studio.delete_q')}
            confirmLabel={t('studio.delete')}
            class="btn btn-small btn-danger"
            testid={`delete-${d.id}`}
            onConfirm={() => act(api.remove(d.id)).then(() => drafts.discard(d.id))}
          />
        )}
        <ErrorText error={error} />
      </td>
    </tr>
  );
}

function NewDeck({ taken }) {
  const [title, setTitle] = useState('');
  const [language, setLanguage] = useState('nl');
  const submit = (e) => {
    e.preventDefault();
    const id = uniqueName(slug(title), taken);
    drafts.save(id, { deck: blankDeck({ id, language, title: title.trim() }), is_new: true });
    navigate(`/studio/deck/${id}`);
  };
  return (
    <form class="panel sf-row" onSubmit={submit} aria-labelledby="sf-new-h" data-testid="new-deck">
      <h2 id="sf-new-h" class="sf-fullrow">
        {t('studio.new_deck')}
      </h2>
      <div class="sf-field sf-grow">
        <label for="new-title">{t('studio.f.title')}</label>
        <input id="new-title" type="text" required value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
      </div>
      <div class="sf-field">
        <label for="new-lang">{t('studio.f.language')}</label>
        <select id="new-lang" value={language} onChange={(e) => setLanguage(e.currentTarget.value)}>
          {DECK_LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {t(`studio.lang.${l}`)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="btn btn-primary" data-testid="new-deck-start">
        {t('studio.new_deck_start')}
      </button>
    </form>
  );
}

export function DeckList({ api, onDenied }) {
  const [decks, setDecks] = useState(null);
  const [error, setError] = useState(null);
  const [archived, setArchived] = useState(false);
  const load = () =>
    api.list().then((r) => {
      if (r.ok) return setDecks(r.decks);
      if (r.status === 401) onDenied();
      setError(r.error);
    });
  useEffect(() => {
    load();
  }, [api]);
  if (!decks) return error ? <ErrorText error={error} /> : <Loading text={t('status.loading')} />;
  const taken = decks.map((d) => d.id);
  const unsaved = drafts.list().filter((id) => !taken.includes(id) && (drafts.load(id) || {}).is_new);
  const shown = decks.filter((d) => archived || !d.archived);
  const imported = (deck) => {
    const known = decks.find((d) => d.id === deck.id);
    const id = known && known.builtin ? uniqueName(`${deck.id}-copy`, taken) : deck.id;
    drafts.save(id, { deck: { ...deck, id }, base_version: known && !known.builtin ? known.version : null, is_new: !known || known.builtin });
    navigate(`/studio/deck/${id}`);
  };
  return (
    <>
      <section class="panel" aria-labelledby="sf-decks-h">
        <h2 id="sf-decks-h">{t('studio.decks')}</h2>
        <p class="muted small">{t('studio.list_hint')}</p>
        <label class="sf-check">
          <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.currentTarget.checked)} data-testid="show-archived" /> {t('studio.show_archived')}
        </label>
        <div class="table-wrap">
          <table class="sf-decks" data-testid="studio-decks">
            <caption class="sr-only">{t('studio.decks')}</caption>
            <thead>
              <tr>
                {['deck', 'language', 'cards', 'steps', 'version', 'changed', 'rooms', 'actions'].map((c) => (
                  <th scope="col" key={c}>
                    {t(`studio.col.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((d) => (
                <DeckRow key={d.id} api={api} d={d} taken={taken} reload={load} />
              ))}
            </tbody>
          </table>
        </div>
        {unsaved.length > 0 && (
          <div data-testid="unsaved-decks">
            <h3>{t('studio.unsaved_decks')}</h3>
            <ul>
              {unsaved.map((id) => (
                <li key={id}>
                  <StudioLink to={`/studio/deck/${id}`}>{(drafts.load(id).deck.title || id) + ` (${id})`}</StudioLink>
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
      <NewDeck taken={[...taken, ...unsaved]} />
      <ImportDrop api={api} onImported={imported} />
    </>
  );
}
