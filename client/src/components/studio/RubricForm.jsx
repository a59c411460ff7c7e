// The rubric: steps in the order they are usually met. Reorder by dragging a
// step or with its up and down buttons; a label changes freely, a key only
// through its own rename, which takes every card's mention along.
import { useState } from 'preact/hooks';
import { t } from '../../i18n.js';
import { addStep, moveStep, removeStep, renameStepKey, stepKeys } from '../../studio/deckEdits.js';
import { fieldId } from '../../studio/paths.js';
import { ConfirmButton } from '../common.jsx';
import { CheckField, MoveButtons, Problems, TextField, TextList, useEditor } from './fields.jsx';

const STEP_KEY = /^[a-z0-9_]{2,40}$/;

function KeyField({ index }) {
  const { deck, update, problems } = useEditor();
  const key = deck.steps[index].key;
  const [text, setText] = useState(null);
  const [local, setLocal] = useState(null);
  const path = `steps[${index}].key`;
  const id = fieldId(path);
  const messages = [...(local ? [local] : []), ...(problems.get(path) || [])];
  const apply = () => {
    if (text === null || text === key) return setLocal(null);
    const next = text.trim();
    if (!STEP_KEY.test(next)) return setLocal(t('studio.key_rule'));
    if (stepKeys(deck).some((k, i) => k === next && i !== index)) return setLocal(t('studio.key_taken'));
    setLocal(null);
    setText(null);
    update((d) => renameStepKey(d, index, next));
  };
  return (
    <div class="sf-field sf-key">
      <label for={id}>{t('studio.f.step_key')}</label>
      <small class="sf-hint" id={`${id}-hint`}>
        {t('studio.key_hint')}
      </small>
      <input
        type="text"
        id={id}
        spellcheck={false}
        value={text === null ? key : text}
        aria-invalid={messages.length ? 'true' : undefined}
        aria-describedby={[`${id}-hint`, messages.length ? `${id}-problems` : null].filter(Boolean).join(' ')}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={apply}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            apply();
          }
        }}
      />
      <Problems id={`${id}-problems`} messages={messages} path={path} />
    </div>
  );
}

function StepItem({ index, count, dragging, setDragging }) {
  const { deck, update } = useEditor();
  const step = deck.steps[index];
  const name = step.label || step.key;
  const onDrop = (e) => {
    e.preventDefault();
    const from = dragging;
    setDragging(null);
    if (Number.isInteger(from) && from !== index) update((d) => moveStep(d, from, index));
  };
  return (
    <li
      class={`sf-step${dragging === index ? ' sf-dragging' : ''}`}
      data-testid={`step-${index}`}
      onDragOver={(e) => e.preventDefault()}
      onDrop={onDrop}
    >
      <div class="sf-step-head">
        <span
          class="sf-handle"
          draggable="true"
          title={t('studio.drag')}
          data-testid={`step-handle-${index}`}
          onDragStart={(e) => {
            e.dataTransfer.setData('text/plain', String(index));
            e.dataTransfer.effectAllowed = 'move';
            setDragging(index);
          }}
          onDragEnd={() => setDragging(null)}
        >
          <span aria-hidden="true">⠿</span>
        </span>
        <h3 class="sf-step-title">
          {index + 1}. <span lang={deck.language}>{name}</span> <code class="muted small">{step.key}</code>
        </h3>
        <MoveButtons index={index} count={count} what={name} idPrefix="step-move" onMove={(a, b) => update((d) => moveStep(d, a, b))} />
        <ConfirmButton
          label={t('studio.remove')}
          question={t('studio.remove_step_q', { name })}
          confirmLabel={t('studio.remove')}
          class="btn btn-small btn-danger"
          testid={`step-remove-${index}`}
          onConfirm={() => update((d) => removeStep(d, index))}
        />
      </div>
      <div class="sf-row">
        <TextField path={`steps[${index}].label`} label={t('studio.f.step_label')} class="sf-grow" />
        <KeyField index={index} key={step.key} />
      </div>
      <TextField path={`steps[${index}].description`} label={t('studio.f.step_description')} optional rows={3} />
      <TextList path={`steps[${index}].look_for`} label={t('studio.f.look_for')} hint={t('studio.look_for_hint')} />
      <CheckField path={`steps[${index}].critical`} label={t('studio.f.critical')} hint={t('studio.critical_hint')} />
    </li>
  );
}

export function RubricForm() {
  const { deck, update, problems } = useEditor();
  const [dragging, setDragging] = useState(null);
  const steps = deck.steps || [];
  const seen = new Set();
  const keys = steps.map((s, i) => {
    const k = seen.has(s.key) ? `${s.key}~${i}` : s.key;
    seen.add(s.key);
    return k;
  });
  return (
    <section class="sf-form" aria-labelledby="sf-rubric-h" data-testid="rubric-form">
      <h2 id="sf-rubric-h">{t('studio.rubric')}</h2>
      <p class="muted small">{t('studio.rubric_hint')}</p>
      <Problems id={`${fieldId('steps')}-problems`} messages={problems.get('steps') || []} path="steps" />
      <ol class="sf-steps">
        {steps.map((_, i) => (
          <StepItem key={keys[i]} index={i} count={steps.length} dragging={dragging} setDragging={setDragging} />
        ))}
      </ol>
      <button type="button" class="btn" onClick={() => update((d) => addStep(d))} data-testid="step-add">
        {t('studio.add_step')}
      </button>
    </section>
  );
}
