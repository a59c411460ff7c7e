// A round's result per step: the overall score (and its cap), the table, the notes.
import { t } from '../../i18n.js';
import { appliedSteps, personName, uncappedOverall } from '../../debrief.js';
import { formatMs } from '../../util.js';
import { scaleLabel } from '../common.jsx';
import { fmt, fmtRange, stepLabelOf, WarnIcon } from './format.jsx';

export function CappedNote({ round, scale, lang }) {
  if (!round.capped_by.length || round.overall === null) return null;
  const labels = round.capped_by.map((k) => `“${stepLabelOf(round, k)}”`).join(', ');
  return (
    <p class="banner banner-warn capped-note" role="note" data-testid="capped-note">
      <WarnIcon />{' '}
      {t('debrief.capped_explain', {
        count: round.capped_by.length,
        steps: labels,
        min: scaleLabel(scale, scale.min),
        cap: fmt(scale.min + 1, lang),
        uncapped: fmt(uncappedOverall(round), lang),
      })}
    </p>
  );
}

export function OverallLine({ round, scale, lang }) {
  const capped = round.capped_by.length > 0 && round.overall !== null;
  return (
    <p class="overall-line" data-testid="overall">
      <span class="label">{t('debrief.overall')}</span>{' '}
      <span class="overall-value">{fmt(round.overall, lang)}</span>
      <span class="muted"> / {scale.max}</span>
      {capped && <strong class="flag flag-capped">{t('debrief.capped_flag')}</strong>}
    </p>
  );
}

export function StepTable({ round, scale, lang, deckLang, compact = false }) {
  const steps = appliedSteps(round);
  const markStats = (key) => {
    const ms = round.marks.filter((m) => m.step === key);
    if (!ms.length) return '–';
    const avg = ms.reduce((a, m) => a + m.rating, 0) / ms.length;
    return t('debrief.marks_cell', { count: ms.length, avg: fmt(avg, lang) });
  };
  return (
    <div class="table-scroll">
      <table class={`data-table step-table${compact ? ' compact' : ''}`} data-testid="step-table">
        <caption>{t('debrief.table_caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('debrief.col_step')}</th>
            <th scope="col" class="num">
              <abbr title={t('debrief.col_n_long')}>n</abbr>
            </th>
            <th scope="col" class="num">{t('debrief.col_mean')}</th>
            <th scope="col" class="num">{t('debrief.col_median')}</th>
            <th scope="col" class="num">{t('debrief.col_range')}</th>
            <th scope="col" class="num">{t('scoring.na')}</th>
            <th scope="col" class="num">{t('role.facilitator')}</th>
            <th scope="col">{t('debrief.col_marks')}</th>
            <th scope="col">{t('debrief.col_flags')}</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => {
            const capped = round.capped_by.includes(s.step);
            return (
              <tr key={s.step} data-step={s.step} class={`${s.disagreement ? 'row-disagree' : ''}${capped ? ' row-capped' : ''}`}>
                <th scope="row">
                  <span lang={deckLang}>{s.label}</span>
                  {s.critical && (
                    <>
                      {' '}
                      <span class="badge badge-critical">{t('rubric.critical')}</span>
                    </>
                  )}
                </th>
                <td class="num">{s.n}</td>
                <td class="num strong">{fmt(s.mean, lang)}</td>
                <td class="num">{fmt(s.median, lang)}</td>
                <td class="num">{fmtRange(s, lang)}</td>
                <td class="num">{s.na || '–'}</td>
                <td class="num">{s.facilitator === null || s.facilitator === undefined ? '–' : fmt(s.facilitator, lang)}</td>
                <td class="small">{markStats(s.step)}</td>
                <td>
                  {s.disagreement && (
                    <span class="flag flag-disagree" data-testid="disagreement">
                      <WarnIcon /> {t('debrief.disagree_flag', { min: fmt(s.min, lang), max: fmt(s.max, lang) })}
                    </span>
                  )}
                  {capped && <span class="flag flag-capped">{t('debrief.capped_step')}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

// What observers wrote: live-mark notes and score comments, per step. On
// paper (`print`) it is a section of its own: a closed <details> prints nothing.
export function StepNotes({ round, deckLang, print = false }) {
  const groups = appliedSteps(round)
    .map((s) => ({
      s,
      notes: [
        ...round.marks.filter((m) => m.step === s.step && m.note).map((m) => ({ who: personName(m.author, m.author_name), at: formatMs(m.t_ms), text: m.note })),
        ...round.scores.filter((x) => x.step === s.step && x.comment).map((x) => ({ who: personName(x.author, x.author_name), text: x.comment })),
      ],
    }))
    .filter((g) => g.notes.length);
  const count = groups.reduce((a, g) => a + g.notes.length, 0);
  if (!count) return null;
  const Wrap = print ? 'section' : 'details';
  return (
    <Wrap class={print ? 'report-notes' : 'brief-details'} data-testid="step-notes">
      {print ? <h3 class="report-h3">{t('debrief.notes', { count })}</h3> : <summary>{t('debrief.notes', { count })}</summary>}
      {groups.map((g) => (
        <div key={g.s.step}>
          <h4 lang={deckLang}>{g.s.label}</h4>
          <ul class="notes">
            {g.notes.map((n, i) => (
              <li key={i}>
                <strong>{n.who}</strong>
                {n.at && <span class="muted"> {n.at}</span>}: {n.text}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </Wrap>
  );
}
