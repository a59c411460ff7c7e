import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { trapTab } from '../focus.js';
import { recentMarks } from '../marks.js';
import { formatMs } from '../util.js';
import { cardSteps, ErrorText, List, scaleLabel, scaleValues } from './common.jsx';

// Up to six buttons share one row, whatever the width; more wrap.
export function rowStyle(n) {
  return n <= 6 ? { gridTemplateColumns: `repeat(${n}, minmax(0, 1fr))` } : undefined;
}

// Live scoring during the role-play: tap the step you just saw, then how well
// it was done. The rating bar sits at the bottom of the screen, within reach
// of a thumb. Until the reveal an observer sees only their own marks. A slip
// of the finger is put right at once: the latest marks can be undone or
// changed (`correct_mark`; the server keeps the original beside the change).
export function ObserverPanel({ conn }) {
  const { state } = conn;
  const round = conn.round;
  const steps = cardSteps(state);
  const { scale } = state.deck;
  const [selected, setSelected] = useState(null);
  const [editing, setEditing] = useState(null); // the mark being changed, or null
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState('');
  const [error, setError] = useState(null);
  const me = conn.myId;
  const mine = round.marks.filter((m) => m.author === me);
  const recent = new Set(recentMarks(round.marks, me).map((m) => m.id));
  const pending = [...conn.outbox.values()];
  const step = steps.find((s) => s.key === (editing ? editing.step : selected));
  const stepButtons = useRef({});
  const changeButtons = useRef({});
  const undoLast = useRef(null);
  const marksHeading = useRef(null);
  const firstRating = useRef(null);
  const sheet = useRef(null);
  useEffect(() => {
    // keyboard users land on the ratings, not on the next step button
    if ((selected || editing) && firstRating.current) firstRating.current.focus();
  }, [selected, editing]);
  const labelOf = (key) => (steps.find((s) => s.key === key) || {}).label || key;
  const close = () => {
    const button = editing ? changeButtons.current[editing.id] : stepButtons.current[selected];
    setSelected(null);
    setEditing(null);
    setNote('');
    if (button) button.focus();
  };
  const pickStep = (key) => {
    setEditing(null);
    setNote('');
    setSelected(selected === key ? null : key);
  };
  const startChange = (m) => {
    setSelected(null);
    setNote(m.note || '');
    setEditing(m);
  };

  const rate = async (rating) => {
    const key = step.key;
    const fixing = editing;
    const text = note.trim();
    setError(null);
    close();
    const words = { step: labelOf(key), rating: scaleLabel(scale, rating) };
    if (fixing) {
      const ack = await conn.correctMark(fixing.id, { rating, note: text });
      if (ack.ok) setSaved(t('live.changed', words));
      else setError(ack.error);
      return;
    }
    setSaved(t('live.saving', words));
    const ack = await conn.mark(key, rating, text);
    if (ack.ok) setSaved(t('live.saved', words));
    else if (ack.error.code === 'offline' || ack.error.code === 'timeout') setSaved(t('live.queued'));
    else {
      setSaved('');
      setError(ack.error);
    }
  };
  const undo = async (m) => {
    setError(null);
    const ack = await conn.correctMark(m.id, { undo: true });
    if (!ack.ok) {
      setError(ack.error);
      return;
    }
    setSaved(t('live.undone', { step: labelOf(m.step), rating: scaleLabel(scale, m.rating) }));
    // the button that was pressed is gone: stay on "undo last" while there is one
    setTimeout(() => (undoLast.current || marksHeading.current)?.focus(), 0);
  };
  const latest = recentMarks(round.marks, me, 1)[0];

  return (
    <section class="observer" data-testid="observer-panel" aria-labelledby="observer-h">
      <h2 id="observer-h">{t('live.title')}</h2>
      <p class="muted">{t('live.hint')}</p>
      <div class="step-grid" role="group" aria-label={t('live.steps')}>
        {steps.map((s) => {
          const count = mine.filter((m) => m.step === s.key).length;
          return (
            <button
              type="button"
              key={s.key}
              class="step-btn"
              aria-pressed={selected === s.key ? 'true' : 'false'}
              onClick={() => pickStep(s.key)}
              ref={(el) => (stepButtons.current[s.key] = el)}
              data-step={s.key}
            >
              <span class="step-label" lang={state.deck.language}>
                {s.label}
              </span>
              {count > 0 && (
                <span class="step-count" aria-label={t('live.count', { count })}>
                  {count}
                </span>
              )}
            </button>
          );
        })}
      </div>
      <p class="flash" aria-live="polite" data-testid="mark-flash">
        {saved}
      </p>
      <ErrorText error={error} />
      {step && (
        // On a phone the sheet covers the lower step buttons: Tab stays in it
        // until it is closed, and closing gives focus back to the step.
        <div
          class="rate-bar"
          role="dialog"
          aria-labelledby="rate-for"
          ref={sheet}
          data-testid="rate-bar"
          data-editing={editing ? editing.id : undefined}
          onKeyDown={(e) => (e.key === 'Escape' ? close() : trapTab(e, sheet.current))}
        >
          <div class="rate-head">
            <p class="rate-for" id="rate-for">
              {t(editing ? 'live.change_title' : 'live.rate', { step: step.label })}
            </p>
            <button type="button" class="btn btn-quiet rate-close" onClick={close} data-testid="rate-close">
              <span aria-hidden="true">×</span>
              <span class="sr-only">{t('actions.cancel')}</span>
            </button>
          </div>
          {step.look_for.length > 0 && (
            <details class="look-fors">
              <summary>{t('rubric.look_for')}</summary>
              <List items={step.look_for} />
            </details>
          )}
          <label class="note-field">
            <span>{t('live.note')}</span>
            <input
              type="text"
              maxLength={500}
              value={note}
              onInput={(e) => setNote(e.currentTarget.value)}
              autocomplete="off"
              data-testid="mark-note"
            />
          </label>
          <div class="scale-row" role="group" aria-labelledby="rate-for" style={rowStyle(scale.max - scale.min + 1)}>
            {scaleValues(scale).map((v, i) => (
              <button
                type="button"
                key={v}
                class="scale-btn"
                onClick={() => rate(v)}
                data-rating={v}
                aria-pressed={editing ? (editing.rating === v ? 'true' : 'false') : undefined}
                ref={i === 0 ? firstRating : undefined}
              >
                <span class="scale-num">{v}</span>
                <span class="scale-word">{scale.labels[String(v)] || ''}</span>
              </button>
            ))}
          </div>
        </div>
      )}
      <h3 ref={marksHeading} tabIndex={-1}>
        {t('live.your_marks', { count: mine.length + pending.length })}
      </h3>
      {latest && (
        <div class="mark-fix">
          <button type="button" class="btn" ref={undoLast} onClick={() => undo(latest)} data-testid="undo-last">
            {t('live.undo_last')}
          </button>
          <p class="muted small">{t('live.fix_hint')}</p>
        </div>
      )}
      {mine.length === 0 && pending.length === 0 ? (
        <p class="muted">{t('live.no_marks')}</p>
      ) : (
        <ol class="marks" reversed data-testid="my-marks">
          {pending.map((m) => (
            <li key={m.id} class="mark pending">
              <span class="mark-time">{t('live.waiting')}</span>
              <span class="mark-step">{labelOf(m.step)}</span>
              <span class="mark-rating">{scaleLabel(scale, m.rating)}</span>
              {m.note && <span class="mark-note">{m.note}</span>}
            </li>
          ))}
          {[...mine].reverse().map((m) => {
            const words = { step: labelOf(m.step), rating: scaleLabel(scale, m.rating), time: formatMs(m.t_ms) };
            return (
              <li key={m.id} class="mark" data-mark={m.id}>
                <span class="mark-time">{formatMs(m.t_ms)}</span>
                <span class="mark-step">{labelOf(m.step)}</span>
                <span class="mark-rating">{scaleLabel(scale, m.rating)}</span>
                {m.note && <span class="mark-note">{m.note}</span>}
                {recent.has(m.id) && (
                  <span class="mark-actions">
                    <button
                      type="button"
                      class="btn btn-quiet btn-small"
                      onClick={() => startChange(m)}
                      ref={(el) => (changeButtons.current[m.id] = el)}
                      aria-label={t('live.change_label', words)}
                      data-testid="mark-change"
                    >
                      {t('live.change')}
                    </button>
                    <button
                      type="button"
                      class="btn btn-quiet btn-small"
                      onClick={() => undo(m)}
                      aria-label={t('live.undo_label', words)}
                      data-testid="mark-undo"
                    >
                      {t('live.undo')}
                    </button>
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
