import { useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { proposedScores } from '../marks.js';
import { checkInQuestions } from '../aftercare.js';
import { cardSteps, ErrorText, errorText, List, scaleLabel, scaleValues } from './common.jsx';
import { rowStyle } from './liveMarks.jsx';

// After the role-play: one final score per step (or n/a), a comment, and a
// global rating. Each tap is saved at once; the last one counts. Observers
// score here on their phones; the facilitator gives their own score in the
// console (`facilitator`): the debrief keeps it apart from the observers'.
// The sheet starts from one's live marks (the latest of each step, as
// corrected): a suggestion on screen only, saved when confirmed ("Confirm
// the suggested scores") or replaced by a tap.
export function FinalScores({ conn, facilitator = false }) {
  const H = facilitator ? 'h3' : 'h2';
  const { state } = conn;
  const round = conn.round;
  const steps = cardSteps(state);
  const { scale } = state.deck;
  const me = conn.myId;
  const myScores = new Map(round.scores.filter((s) => s.author === me).map((s) => [s.step, s]));
  const [comments, setComments] = useState(() => Object.fromEntries([...myScores].map(([k, s]) => [k, s.comment || ''])));
  const [error, setError] = useState(null);
  const myGlobal = round.global_ratings[me];
  const done = steps.filter((s) => myScores.has(s.key)).length;
  const proposal = proposedScores(round.marks, me, steps.map((s) => s.key), [...myScores.keys()]);
  const proposed = steps.filter((s) => s.key in proposal);
  const [confirming, setConfirming] = useState(false);

  const score = async (key, rating) => {
    setError(null);
    const ack = await conn.scoreStep(key, rating, (comments[key] || '').trim());
    if (!ack.ok) setError(ack.error);
  };
  const saveComment = (key) => {
    const s = myScores.get(key);
    const text = (comments[key] || '').trim();
    if (s && text !== (s.comment || '')) score(key, s.rating);
  };
  const confirmProposal = async () => {
    setError(null);
    setConfirming(true);
    for (const s of proposed) {
      const ack = await conn.scoreStep(s.key, proposal[s.key], (comments[s.key] || '').trim());
      if (!ack.ok) {
        setError(ack.error);
        break;
      }
    }
    setConfirming(false);
  };
  const rateGlobal = async (rating) => {
    setError(null);
    const ack = await conn.rateGlobal(rating);
    if (!ack.ok) setError(ack.error);
  };

  return (
    <section class="final-scores" data-testid={facilitator ? 'facilitator-scores' : 'final-scores'} aria-labelledby="scores-h">
      <H id="scores-h">{t(facilitator ? 'scoring.facilitator_title' : 'scoring.title')}</H>
      <p class="muted">{t(facilitator ? 'scoring.facilitator_hint' : 'scoring.hint')}</p>
      <p class="progress" aria-live="polite">
        {t('scoring.progress', { done, total: steps.length })}
        {myGlobal ? ` · ${t('scoring.global_done')}` : ''}
      </p>
      <ErrorText error={error} />
      {proposed.length > 0 && (
        <div class="prefill" data-testid="prefill">
          <p>{t('scoring.prefill_intro')}</p>
          <button type="button" class="btn btn-primary" disabled={confirming} onClick={confirmProposal} data-testid="confirm-prefill">
            {t('scoring.confirm', { count: proposed.length })}
          </button>
        </div>
      )}
      {steps.map((s) => {
        const mine = myScores.get(s.key);
        const suggestion = s.key in proposal ? proposal[s.key] : undefined;
        const marks = round.marks.filter((m) => m.author === me && m.step === s.key);
        return (
          <fieldset class="score-step" key={s.key} data-step={s.key}>
            <legend>
              <span lang={state.deck.language}>{s.label}</span> {s.critical && <span class="badge badge-critical">{t('rubric.critical')}</span>}
            </legend>
            {marks.length > 0 && (
              <p class="muted small">{t('scoring.your_marks', { ratings: marks.map((m) => m.rating).join(', ') })}</p>
            )}
            {suggestion !== undefined && (
              <p class="small" id={`suggest-${s.key}`} data-testid="suggestion">
                {t('scoring.prefill_step', { rating: scaleLabel(scale, suggestion) })}
              </p>
            )}
            <div class="scale-row" style={rowStyle(scale.max - scale.min + 1)}>
              {scaleValues(scale).map((v) => (
                <button
                  type="button"
                  key={v}
                  class={suggestion === v ? 'scale-btn suggested' : 'scale-btn'}
                  aria-pressed={mine && mine.rating === v ? 'true' : 'false'}
                  aria-describedby={suggestion === v ? `suggest-${s.key}` : undefined}
                  onClick={() => score(s.key, v)}
                  data-rating={v}
                  data-suggested={suggestion === v ? 'true' : undefined}
                >
                  <span class="scale-num">{v}</span>
                  <span class="scale-word">{scale.labels[String(v)] || ''}</span>
                  {suggestion === v && <span class="sr-only"> ({t('scoring.suggested')})</span>}
                </button>
              ))}
            </div>
            <button
              type="button"
              class="scale-btn scale-na"
              aria-pressed={mine && mine.rating === null ? 'true' : 'false'}
              onClick={() => score(s.key, null)}
              data-rating="na"
            >
              <span class="scale-num">{t('scoring.na')}</span> <span class="scale-word">· {t('scoring.na_long')}</span>
            </button>
            <label class="comment-field">
              <span>{t('scoring.comment')}</span>
              <input
                type="text"
                maxLength={500}
                value={comments[s.key] || ''}
                onInput={(e) => setComments({ ...comments, [s.key]: e.currentTarget.value })}
                onBlur={() => saveComment(s.key)}
                autocomplete="off"
              />
            </label>
          </fieldset>
        );
      })}
      <fieldset class="score-step global" data-testid="global-rating">
        <legend>{t('scoring.global')}</legend>
        <p class="muted small">{t('scoring.global_hint')}</p>
        <div class="scale-row scale-row-tight" style={rowStyle(5)}>
          {[1, 2, 3, 4, 5].map((v) => (
            <button
              type="button"
              key={v}
              class="scale-btn"
              aria-pressed={myGlobal === v ? 'true' : 'false'}
              onClick={() => rateGlobal(v)}
              data-rating={v}
            >
              <span class="scale-num">{v}</span>
              <span class="scale-word">{t(`scoring.global_${v}`)}</span>
            </button>
          ))}
        </div>
      </fieldset>
    </section>
  );
}

function Choice({ name, value, current, onPick, label }) {
  return (
    <label class="choice">
      <input type="radio" name={name} value={value} checked={current === value} onChange={() => onPick(value)} />
      <span>{label}</span>
    </label>
  );
}

// The customer's and the agent's reflection. Seen by the facilitator only.
// It opens the after-care check-in: out of the role first, with the deck's
// check-in questions (round.check_in, or general ones when the deck has
// none), then how they are now (`feeling`).
export function ReflectionForm({ conn }) {
  const round = conn.round;
  const questions = checkInQuestions(round.check_in, t, conn.state.deck.language);
  const isCustomer = conn.role === 'customer';
  const existing = round.my_reflection || null;
  const [feeling, setFeeling] = useState(existing ? existing.feeling : null);
  const [heard, setHeard] = useState(existing ? existing.felt_heard : null);
  const [wentWell, setWentWell] = useState((existing && existing.went_well) || '');
  const [differently, setDifferently] = useState((existing && existing.do_differently) || '');
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(!!existing);
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    if (!feeling) {
      setError({ code: 'feeling_missing' });
      return;
    }
    setBusy(true);
    setError(null);
    const answers = { feeling };
    if (isCustomer && heard) answers.felt_heard = heard;
    if (wentWell.trim()) answers.went_well = wentWell.trim();
    if (differently.trim()) answers.do_differently = differently.trim();
    const ack = await conn.reflect(answers);
    setBusy(false);
    if (ack.ok) setSaved(true);
    else setError(ack.error);
  };
  const touched = (fn) => (v) => {
    setSaved(false);
    fn(v);
  };

  return (
    <form class="reflection" onSubmit={submit} data-testid="reflection-form" aria-labelledby="reflect-h">
      <h2 id="reflect-h">{t('reflect.title')}</h2>
      <p class="muted">{t('reflect.hint')}</p>
      <div class="check-in-questions" data-testid="check-in-questions">
        <p>{t('reflect.step_out')}</p>
        <p class="label">{t('reflect.check_in')}</p>
        <List items={questions.items} lang={questions.lang || undefined} />
      </div>
      <fieldset class="choices choices-scale">
        <legend>{t('reflect.feeling')}</legend>
        {[1, 2, 3, 4, 5].map((v) => (
          <Choice key={v} name="feeling" value={v} current={feeling} onPick={touched(setFeeling)} label={`${v} · ${t(`reflect.feeling_${v}`)}`} />
        ))}
      </fieldset>
      {isCustomer && (
        <fieldset class="choices choices-scale">
          <legend>{t('reflect.felt_heard')}</legend>
          {[1, 2, 3, 4, 5].map((v) => (
            <Choice key={v} name="felt_heard" value={v} current={heard} onPick={touched(setHeard)} label={`${v} · ${t(`reflect.heard_${v}`)}`} />
          ))}
        </fieldset>
      )}
      <label class="field">
        <span>{t('reflect.went_well')}</span>
        <textarea rows={3} maxLength={500} value={wentWell} onInput={(e) => touched(setWentWell)(e.currentTarget.value)} name="went_well" />
      </label>
      <label class="field">
        <span>{t('reflect.do_differently')}</span>
        <textarea rows={3} maxLength={500} value={differently} onInput={(e) => touched(setDifferently)(e.currentTarget.value)} name="do_differently" />
      </label>
      {error && (
        <p class="error" role="alert">
          {error.code === 'feeling_missing' ? t('reflect.feeling_missing') : errorText(error)}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {saved ? t('reflect.update') : t('reflect.save')}
        </button>
        <span class="saved" aria-live="polite">
          {saved ? t('reflect.saved') : ''}
        </span>
      </div>
    </form>
  );
}
