// Form fields of the deck editor. Each edits the deck at a validator path
// (`cards[2].customer.start_temperature`) and shows the validator's problems
// for that path next to itself (aria-invalid, aria-describedby).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { t } from '../../i18n.js';
import { addListItem, moveListItem, numberValue, removeListItem, setField } from '../../studio/deckEdits.js';
import { fieldId, formatPath, getIn, parsePath } from '../../studio/paths.js';

// {deck, problems: Map(path -> messages), update(fn), readOnly}
export const EditorContext = createContext(null);

export function useEditor() {
  return useContext(EditorContext);
}

function useField(path) {
  const ctx = useEditor();
  const norm = formatPath(parsePath(path));
  const id = fieldId(norm);
  const messages = ctx.problems.get(norm) || [];
  const value = getIn(ctx.deck, norm);
  return { ctx, norm, id, messages, value, errId: `${id}-problems`, hintId: `${id}-hint`, translate: ctx.toTranslate(norm, value) };
}

// Marks a text the other language's copy still has from its original.
export function ToTranslate({ on }) {
  return on ? <span class="badge sf-translate">{t('studio.to_translate')}</span> : null;
}

export function Problems({ id, messages, path }) {
  if (!messages.length) return null;
  return (
    <ul class="sf-problems" id={id} data-path={path}>
      {messages.map((m, i) => (
        <li key={i}>{m}</li>
      ))}
    </ul>
  );
}

function describedBy(f, hint) {
  return [hint ? f.hintId : null, f.messages.length ? f.errId : null].filter(Boolean).join(' ') || undefined;
}

function Hint({ id, text }) {
  return text ? (
    <small class="sf-hint" id={id}>
      {text}
    </small>
  ) : null;
}

// One line or (`rows`) a text area of deck text, in the deck's language.
export function TextField({ path, label, hint, optional = false, rows = 0, class: cls = '', code = false }) {
  const f = useField(path);
  const lang = code ? undefined : f.ctx.deck.language;
  const props = {
    id: f.id,
    value: f.value === undefined || f.value === null ? '' : String(f.value),
    'aria-invalid': f.messages.length ? 'true' : undefined,
    'aria-describedby': describedBy(f, hint),
    lang,
    spellcheck: code ? false : undefined,
    onInput: (e) => f.ctx.update((d) => setField(d, f.norm, e.currentTarget.value, { optional })),
  };
  return (
    <div class={`sf-field ${cls}`}>
      <label for={f.id}>
        {label}
        {optional && <span class="sf-optional"> ({t('studio.optional')})</span>} <ToTranslate on={f.translate} />
      </label>
      <Hint id={f.hintId} text={hint} />
      {rows ? <textarea rows={rows} {...props} /> : <input type="text" {...props} />}
      <Problems id={f.errId} messages={f.messages} path={f.norm} />
    </div>
  );
}

export function NumberField({ path, label, hint, optional = false, min, max }) {
  const f = useField(path);
  return (
    <div class="sf-field sf-number">
      <label for={f.id}>
        {label}
        {optional && <span class="sf-optional"> ({t('studio.optional')})</span>}
      </label>
      <Hint id={f.hintId} text={hint} />
      <input
        type="text"
        inputMode="numeric"
        id={f.id}
        value={f.value === undefined ? '' : String(f.value)}
        aria-invalid={f.messages.length ? 'true' : undefined}
        aria-describedby={describedBy(f, hint)}
        data-min={min}
        data-max={max}
        onInput={(e) => {
          const v = numberValue(e.currentTarget.value);
          f.ctx.update((d) => setField(d, f.norm, v === undefined ? (optional ? undefined : '') : v, { optional }));
        }}
      />
      <Problems id={f.errId} messages={f.messages} path={f.norm} />
    </div>
  );
}

// `options`: [{value, label}]; `optional` adds a "none" choice that removes the field.
export function SelectField({ path, label, hint, options, optional = false, numeric = false }) {
  const f = useField(path);
  return (
    <div class="sf-field">
      <label for={f.id}>{label}</label>
      <Hint id={f.hintId} text={hint} />
      <select
        id={f.id}
        value={f.value === undefined ? '' : String(f.value)}
        aria-invalid={f.messages.length ? 'true' : undefined}
        aria-describedby={describedBy(f, hint)}
        onChange={(e) => {
          const raw = e.currentTarget.value;
          const v = raw === '' ? undefined : numeric ? Number(raw) : raw;
          f.ctx.update((d) => setField(d, f.norm, v, { optional }));
        }}
      >
        {optional && <option value="">{t('studio.none')}</option>}
        {options.map((o) => (
          <option key={o.value} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
      <Problems id={f.errId} messages={f.messages} path={f.norm} />
    </div>
  );
}

export function CheckField({ path, label, hint }) {
  const f = useField(path);
  return (
    <div class="sf-field sf-check">
      <label>
        <input
          type="checkbox"
          id={f.id}
          checked={!!f.value}
          aria-describedby={describedBy(f, hint)}
          onChange={(e) => f.ctx.update((d) => setField(d, f.norm, e.currentTarget.checked))}
        />{' '}
        {label}
      </label>
      <Hint id={f.hintId} text={hint} />
      <Problems id={f.errId} messages={f.messages} path={f.norm} />
    </div>
  );
}

// Said to screen readers by the editor's live region (Editor.jsx).
export function announce(text) {
  const el = document.getElementById('sf-announce');
  if (el) el.textContent = text;
}

// Up and down buttons that say what they move (keyboard reordering). The
// focus follows the item to its new place (`idPrefix`-<index>-up/down), and
// the new place is announced.
export function MoveButtons({ index, count, onMove, what, idPrefix }) {
  const move = (dir) => {
    const to = dir === 'up' ? index - 1 : index + 1;
    onMove(index, to);
    announce(t('studio.moved', { what, n: to + 1, count }));
    setTimeout(() => {
      const other = dir === 'up' ? 'down' : 'up';
      const el = document.getElementById(`${idPrefix}-${to}-${dir}`);
      const target = el && !el.disabled ? el : document.getElementById(`${idPrefix}-${to}-${other}`);
      if (target) target.focus();
    }, 0);
  };
  return (
    <span class="sf-move">
      <button type="button" id={`${idPrefix}-${index}-up`} class="btn btn-small btn-quiet" disabled={index === 0} onClick={() => move('up')} aria-label={t('studio.move_up', { what })}>
        <span aria-hidden="true">↑</span>
      </button>
      <button
        type="button"
        id={`${idPrefix}-${index}-down`}
        class="btn btn-small btn-quiet"
        disabled={index === count - 1}
        onClick={() => move('down')}
        aria-label={t('studio.move_down', { what })}
      >
        <span aria-hidden="true">↓</span>
      </button>
    </span>
  );
}

// A list of short texts (look-fors, what escalates, may offer, …).
export function TextList({ path, label, hint, optional = false, addLabel }) {
  const f = useField(path);
  const items = Array.isArray(f.value) ? f.value : [];
  const lang = f.ctx.deck.language;
  const update = f.ctx.update;
  const add = () => {
    update((d) => addListItem(d, f.norm));
    // the new line gets the focus once it is there
    setTimeout(() => {
      const el = document.getElementById(fieldId([...parsePath(f.norm), items.length]));
      if (el) el.focus();
    }, 0);
  };
  return (
    <fieldset class="sf-list" id={f.id} aria-describedby={describedBy(f, hint)}>
      <legend>
        {label}
        {optional && <span class="sf-optional"> ({t('studio.optional')})</span>}
      </legend>
      <Hint id={f.hintId} text={hint} />
      <Problems id={f.errId} messages={f.messages} path={f.norm} />
      <ol class="sf-items">
        {items.map((item, i) => {
          const itemPath = `${f.norm}[${i}]`;
          const id = fieldId(itemPath);
          const messages = f.ctx.problems.get(itemPath) || [];
          const what = t('studio.line_n', { n: i + 1 });
          return (
            <li key={i} class="sf-item">
              <label class="sr-only" for={id}>
                {label}: {what}
              </label>
              <ToTranslate on={f.ctx.toTranslate(itemPath, item)} />
              <input
                type="text"
                id={id}
                lang={lang}
                value={item}
                aria-invalid={messages.length ? 'true' : undefined}
                aria-describedby={messages.length ? `${id}-problems` : undefined}
                onInput={(e) => update((d) => setField(d, itemPath, e.currentTarget.value))}
              />
              <MoveButtons index={i} count={items.length} what={what} idPrefix={`${f.id}-move`} onMove={(a, b) => update((d) => moveListItem(d, f.norm, a, b))} />
              <button type="button" class="btn btn-small btn-quiet" onClick={() => update((d) => removeListItem(d, f.norm, i, { optional }))} aria-label={t('studio.remove_what', { what })}>
                <span aria-hidden="true">×</span>
              </button>
              <Problems id={`${id}-problems`} messages={messages} path={itemPath} />
            </li>
          );
        })}
      </ol>
      <button type="button" class="btn btn-small" onClick={add}>
        {addLabel || t('studio.add_line')}
      </button>
    </fieldset>
  );
}
