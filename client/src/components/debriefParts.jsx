// The pieces of the debrief that the console's debrief view and the printed
// report share. They all work on the results JSON (GET /api/rooms/<code>/results),
// not on the live room state, so they show every round the same way.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { t } from '../i18n.js';
import {
  agreementText,
  angerPoints,
  appliedSteps,
  personName,
  ratingColour,
  ratingShape,
  timeStep,
  timelineEnd,
  uncappedOverall,
  wrapLabel,
} from '../debrief.js';
import { formatMs } from '../util.js';
import { angerWord } from './anger.jsx';
import { scaleLabel, scaleValues } from './common.jsx';

export function fmt(value, lang, digits = 1) {
  if (value === null || value === undefined) return '–';
  return Number(value).toLocaleString(lang, { maximumFractionDigits: digits });
}

function fmtRange(step, lang) {
  if (step.min === null || step.min === undefined) return '–';
  if (step.min === step.max) return fmt(step.min, lang);
  return `${fmt(step.min, lang)}–${fmt(step.max, lang)}`;
}

export function WarnIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d="M12 3 2 21h20L12 3z" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linejoin="round" />
      <path d="M12 10v5M12 17.5v.5" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />
    </svg>
  );
}

// "Customer: Bob · Agent: Ann · played 3:12"
export function RoundCast({ round }) {
  return (
    <p class="round-cast">
      <span class="badge role-customer">{t('role.customer')}</span> <strong>{personName(round.customer.id, round.customer.name)}</strong>
      {'  '}
      <span class="badge role-agent">{t('role.agent')}</span> <strong>{personName(round.agent.id, round.agent.name)}</strong>
      <span class="muted"> · {t('results.played', { time: formatMs(round.elapsed_ms || 0) })}</span>
    </p>
  );
}

// -- the timeline chart --------------------------------------------------

function stepLabelOf(round, key) {
  const s = round.steps.find((x) => x.step === key);
  return s ? s.label : key;
}

function chartConfig({ round, scale, start, print, names, width }) {
  // the y axis may take about a quarter of the chart: wrap its labels to fit
  // (chart.js gives each of the two y axes at most a quarter of the width)
  const narrow = !print && width > 0 && width < 520;
  const labelWidth = print ? 30 : narrow ? 10 : width && width < 760 ? 18 : 30;
  const labelLines = narrow ? 3 : 2;
  const steps = appliedSteps(round);
  const keys = steps.map((s) => s.step);
  const end = timelineEnd(round);
  const step = timeStep(end);
  const xMax = Math.ceil(end / step) * step;
  const font = print ? 10 : width >= 1500 ? 17 : width >= 1000 ? 15 : 13; // larger on a big screen
  const marks = round.marks.filter((m) => keys.includes(m.step));
  const datasets = scaleValues(scale).map((value) => ({
    type: 'scatter',
    label: scaleLabel(scale, value),
    data: marks.filter((m) => m.rating === value).map((m) => ({ x: m.t_ms, y: m.step, mark: m })),
    yAxisID: 'y',
    backgroundColor: ratingColour(scale, value),
    borderColor: '#0d1117',
    borderWidth: 1.2,
    pointStyle: ratingShape(scale, value),
    pointRadius: print ? 5 : 9,
    pointHoverRadius: print ? 5 : 12,
    order: 1,
  }));
  const anger = angerPoints(round, start);
  if (anger.length) {
    datasets.push({
      type: 'line',
      label: t('debrief.anger_line'),
      data: anger,
      yAxisID: 'anger',
      stepped: 'before',
      borderColor: '#b3261e',
      backgroundColor: 'rgba(179, 38, 30, 0.10)',
      fill: 'origin',
      borderWidth: print ? 2 : 3,
      pointStyle: 'circle',
      pointRadius: anger.map((p) => (p.end ? 0 : print ? 2 : 4)),
      pointHoverRadius: anger.map((p) => (p.end ? 0 : 6)),
      pointBackgroundColor: '#b3261e',
      order: 3,
    });
  }
  if (round.timeouts.length) {
    datasets.push({
      type: 'scatter',
      label: t('debrief.timeout'),
      data: round.timeouts.map((to) => ({ x: to.t_ms, y: 10, timeout: to })),
      yAxisID: 'anger',
      pointStyle: 'triangle',
      rotation: 180,
      backgroundColor: '#a14d00',
      borderColor: '#0d1117',
      borderWidth: 1,
      pointRadius: print ? 6 : 10,
      pointHoverRadius: print ? 6 : 13,
      order: 0,
    });
  }
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      animation: false,
      responsive: !print,
      maintainAspectRatio: false,
      devicePixelRatio: print ? 2 : undefined,
      layout: { padding: { top: 8, right: 4 } },
      interaction: { mode: 'nearest', intersect: true },
      scales: {
        x: {
          type: 'linear',
          min: 0,
          max: xMax,
          ticks: { stepSize: step, callback: (v) => formatMs(v), font: { size: font } },
          title: { display: true, text: t('debrief.axis_time'), font: { size: font, weight: 'bold' } },
          grid: { color: '#dfe3e8' },
        },
        y: {
          type: 'category',
          labels: keys,
          offset: true,
          ticks: {
            autoSkip: false,
            font: { size: print ? 9 : narrow ? 10 : font, lineHeight: 1.15 },
            color: '#17202a',
            callback: (_v, i) => wrapLabel(stepLabelOf(round, keys[i]), labelWidth, labelLines),
          },
          grid: { color: '#e6e9ee' },
        },
        anger: {
          type: 'linear',
          position: 'right',
          min: 0,
          max: 10,
          ticks: { stepSize: 2, font: { size: font }, color: '#8c1d18' },
          title: { display: !narrow, text: t('debrief.axis_anger'), color: '#8c1d18', font: { size: font, weight: 'bold' } },
          grid: { drawOnChartArea: false },
        },
      },
      plugins: {
        legend: {
          position: 'bottom',
          labels: { usePointStyle: true, font: { size: font }, boxWidth: font, padding: print ? 8 : 14 },
        },
        tooltip: {
          enabled: !print,
          titleFont: { size: 15 },
          bodyFont: { size: 15 },
          padding: 10,
          callbacks: {
            title: (items) => (items.length ? formatMs(items[0].parsed.x) : ''),
            label: (item) => {
              const raw = item.raw || {};
              if (raw.mark) {
                const m = raw.mark;
                const who = names(m.author, m.author_name);
                const text = `${who} · ${stepLabelOf(round, m.step)}: ${scaleLabel(scale, m.rating)}`;
                return m.note ? [text, `“${m.note}”`] : text;
              }
              if (raw.timeout) {
                const to = raw.timeout;
                const who = names(to.by, to.name);
                return to.reason ? t('debrief.timeout_by_reason', { name: who, reason: to.reason }) : t('debrief.timeout_by', { name: who });
              }
              return t('debrief.anger_at', { level: item.parsed.y, word: angerWord(item.parsed.y) });
            },
          },
        },
        calmroomVerticalLines: { lines: round.timeouts.map((to) => to.t_ms), color: '#a14d00' },
      },
    },
  };
}

export function timelineSummary(round, start) {
  const points = angerPoints(round, start).filter((p) => !p.end);
  const peak = points.length ? Math.max(...points.map((p) => p.y)) : null;
  return t('debrief.timeline_label', {
    marks: t('debrief.marks_count', { count: round.marks.length }),
    time: formatMs(round.elapsed_ms || 0),
    start: start ?? '–',
    peak: peak ?? '–',
    timeouts: t('debrief.timeouts_count', { count: round.timeouts.length }),
  });
}

// Marks per step on a time axis, the anger curve on a second axis, time-outs
// as dashed lines with a marker (their reason in the tooltip). Chart.js is
// loaded on demand; `print` draws at a fixed size without animation.
export function TimelineChart({ round, scale, start, lang, print = false, onReady }) {
  const canvas = useRef(null);
  const [failed, setFailed] = useState(false);
  const steps = appliedSteps(round);
  const height = print ? Math.max(190, steps.length * 22 + 82) : Math.max(300, steps.length * 46 + 130);
  const key = useMemo(() => JSON.stringify([round, scale, start, lang, print]), [round, scale, start, lang, print]);
  useEffect(() => {
    let chart = null;
    let cancelled = false;
    import('../charts.js')
      .then(({ Chart }) => {
        if (cancelled || !canvas.current) return;
        const names = (id, name) => personName(id, name);
        chart = new Chart(canvas.current, chartConfig({ round, scale, start, print, names, width: canvas.current.parentElement.clientWidth }));
        canvas.current.setAttribute('data-rendered', 'true');
        if (onReady) onReady();
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
        if (onReady) onReady();
      });
    return () => {
      cancelled = true;
      if (chart) chart.destroy();
    };
  }, [key]);
  const summary = timelineSummary(round, start);
  return (
    <figure class="timeline" data-testid="timeline" data-round={round.number}>
      <div class="timeline-box" style={print ? undefined : { height: `${height}px` }}>
        <canvas
          ref={canvas}
          role="img"
          aria-label={summary}
          {...(print ? { width: 680, height, style: { width: '680px', height: `${height}px` } } : {})}
        >
          {summary}
        </canvas>
      </div>
      <figcaption class="muted small">
        {failed ? t('debrief.chart_failed') : summary}
      </figcaption>
    </figure>
  );
}

// The same events as a table, in time order: for the keyboard and screen
// readers, and to read out a detail.
export function TimelineTable({ round, scale, start }) {
  const rows = [];
  if (start !== null && start !== undefined) rows.push({ t: 0, what: t('debrief.ev_start'), who: '', detail: t('debrief.anger_at', { level: start, word: angerWord(start) }) });
  for (const x of round.temperatures) rows.push({ t: x.t_ms, what: t('debrief.ev_anger'), who: personName(round.customer.id, round.customer.name), detail: t('debrief.anger_at', { level: x.level, word: angerWord(x.level) }) });
  for (const m of round.marks) rows.push({ t: m.t_ms, what: stepLabelOf(round, m.step), who: personName(m.author, m.author_name), detail: `${scaleLabel(scale, m.rating)}${m.note ? ` · “${m.note}”` : ''}`, mark: true });
  for (const to of round.timeouts) rows.push({ t: to.t_ms, what: t('debrief.timeout'), who: personName(to.by, to.name), detail: to.reason || '' });
  rows.sort((a, b) => a.t - b.t);
  return (
    <details class="brief-details timeline-table">
      <summary>{t('debrief.as_table', { count: rows.length })}</summary>
      <div class="table-scroll">
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">{t('debrief.col_time')}</th>
              <th scope="col">{t('debrief.col_what')}</th>
              <th scope="col">{t('debrief.col_who')}</th>
              <th scope="col">{t('debrief.col_detail')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td class="num">{formatMs(r.t)}</td>
                <td>{r.what}</td>
                <td>{r.who}</td>
                <td>{r.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

// -- per-step table ------------------------------------------------------------

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

// -- global ratings and reflections ------------------------------------------------

export function GlobalRatings({ round, lang, level = 4 }) {
  const H = `h${level}`;
  const list = round.global_ratings;
  const avg = list.length ? list.reduce((a, g) => a + g.rating, 0) / list.length : null;
  return (
    <section class="global-ratings" data-testid="global-ratings">
      <H>{t('debrief.global_title')}</H>
      {list.length === 0 ? (
        <p class="muted">{t('debrief.global_none')}</p>
      ) : (
        <p>
          <span class="big-number">{fmt(avg, lang)}</span> <span class="muted">/ 5</span>
          <span class="global-list">
            {list.map((g) => (
              <span key={g.author} class="global-item">
                {personName(g.author, g.author_name)}: <strong>{g.rating}</strong> ({t(`scoring.global_${g.rating}`)})
              </span>
            ))}
          </span>
        </p>
      )}
    </section>
  );
}

export function ReflectionCards({ round }) {
  const order = { customer: 0, agent: 1 };
  const list = [...round.reflections].sort((a, b) => (order[a.role] ?? 2) - (order[b.role] ?? 2));
  if (!list.length) return <p class="muted">{t('results.no_reflections')}</p>;
  return (
    <div class="reflection-grid">
      {list.map((r) => (
        <article class={`reflection-card reflection-${r.role}`} key={r.author}>
          <h4>
            {personName(r.author, r.author_name)}
            {r.role && ` · ${t(`role.${r.role}`)}`}
          </h4>
          {r.felt_heard && (
            <p>
              <span class="label">{t('reflect.felt_heard')}</span> <strong>{r.felt_heard}/5</strong> · {t(`reflect.heard_${r.felt_heard}`)}
            </p>
          )}
          <p>
            <span class="label">{t('reflect.feeling')}</span> <strong>{r.feeling}/5</strong> · {t(`reflect.feeling_${r.feeling}`)}
          </p>
          {r.went_well && (
            <p>
              <span class="label">{t('reflect.went_well')}</span> {r.went_well}
            </p>
          )}
          {r.do_differently && (
            <p>
              <span class="label">{t('reflect.do_differently')}</span> {r.do_differently}
            </p>
          )}
        </article>
      ))}
    </div>
  );
}

// -- the whole workshop ------------------------------------------------------------------

export function AgreementBox({ agreement, lang, headingLevel = 3 }) {
  const H = `h${headingLevel}`;
  const { level, text } = agreementText(agreement);
  const alpha = agreement && agreement.alpha;
  return (
    <section class={`agreement agreement-${level}`} data-testid="agreement" aria-labelledby="agreement-h">
      <H id="agreement-h">{t('agreement.title')}</H>
      <p class="agreement-main">
        {alpha !== null && alpha !== undefined && (
          <span class="agreement-alpha">
            <abbr title={t('agreement.alpha_long')}>α</abbr> = {Number(alpha).toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}
          </span>
        )}
        <span class="agreement-text">{text}</span>
      </p>
      <p class="muted small">
        {t('agreement.method', { units: agreement ? agreement.units : 0, observers: agreement ? agreement.observers : 0 })}
      </p>
    </section>
  );
}

// Each agent, step by step per round (rows: steps; columns: agent rounds),
// then everyone's part in the workshop.
export function ParticipantsView({ results, rounds, lang, deckLang, compact = false }) {
  const shown = new Set(rounds.map((r) => r.number));
  const byNumber = new Map(rounds.map((r) => [r.number, r]));
  const columns = [];
  const people = results.participants;
  for (const p of people) {
    const mine = p.as_agent.filter((a) => shown.has(a.round));
    mine.forEach((a) => columns.push({ person: p, a, round: byNumber.get(a.round) }));
    if (mine.length > 1) {
      const means = {};
      for (const a of mine)
        for (const [k, v] of Object.entries(a.steps))
          if (v !== null) (means[k] = means[k] || []).push(v);
      const avg = Object.fromEntries(Object.entries(means).map(([k, v]) => [k, v.reduce((x, y) => x + y, 0) / v.length]));
      const overalls = mine.map((a) => a.overall).filter((v) => v !== null);
      columns.push({ person: p, mean: true, steps: avg, overall: overalls.length ? overalls.reduce((x, y) => x + y, 0) / overalls.length : null });
    }
  }
  columns.sort((a, b) => people.indexOf(a.person) - people.indexOf(b.person));
  const deckSteps = rounds.length ? rounds[0].steps : [];
  const usedKeys = deckSteps.filter((s) => rounds.some((r) => r.steps.some((x) => x.step === s.step && x.applies)));
  return (
    <section class="participants-view" data-testid="participants-view">
      <h3>{t('people.agents_title')}</h3>
      {columns.length === 0 ? (
        <p class="muted">{t('people.no_agents')}</p>
      ) : (
        <div class="table-scroll">
          <table class={`data-table agents-table${compact ? ' compact' : ''}`} data-testid="agents-table">
            <caption class="sr-only">{t('people.agents_title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('debrief.col_step')}</th>
                {columns.map((c, i) => (
                  <th scope="col" class="num agent-col" key={i}>
                    <span class="agent-name">{c.person.name}</span>
                    <span class="agent-round">
                      {c.mean ? t('people.mean_col') : `${t('round.number', { n: c.a.round })}`}
                    </span>
                    {!c.mean && c.round && <span class="agent-card" lang={deckLang}>{c.round.card.title}</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {usedKeys.map((s) => (
                <tr key={s.step}>
                  <th scope="row">
                    <span lang={deckLang}>{s.label}</span>
                    {s.critical && (
                      <>
                        {' '}
                        <span class="badge badge-critical">{t('rubric.critical')}</span>
                      </>
                    )}
                  </th>
                  {columns.map((c, i) => {
                    const v = c.mean ? c.steps[s.step] : c.a.steps[s.step];
                    const capped = !c.mean && c.a.capped_by.includes(s.step);
                    return (
                      <td class={`num${c.mean ? ' mean-col' : ''}`} key={i}>
                        {v === undefined ? <span class="muted">{t('people.not_on_card')}</span> : fmt(v, lang)}
                        {capped && <span class="flag flag-capped">{t('people.capped_here')}</span>}
                      </td>
                    );
                  })}
                </tr>
              ))}
              <tr class="total-row">
                <th scope="row">{t('debrief.overall')}</th>
                {columns.map((c, i) => (
                  <td class={`num strong${c.mean ? ' mean-col' : ''}`} key={i}>
                    {fmt(c.mean ? c.overall : c.a.overall, lang)}
                    {!c.mean && c.a.capped_by.length > 0 && c.a.overall !== null && <span class="flag flag-capped">{t('debrief.capped_flag')}</span>}
                  </td>
                ))}
              </tr>
              <tr>
                <th scope="row">{t('people.global_row')}</th>
                {columns.map((c, i) => (
                  <td class={`num${c.mean ? ' mean-col' : ''}`} key={i}>
                    {c.mean ? '' : fmt(c.a.global_rating, lang)}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      )}
      <h3>{t('people.everyone_title')}</h3>
      <div class="table-scroll">
        <table class={`data-table people-table${compact ? ' compact' : ''}`} data-testid="people-table">
          <thead>
            <tr>
              <th scope="col">{t('people.name')}</th>
              <th scope="col">{t('people.as_agent')}</th>
              <th scope="col">{t('people.as_customer')}</th>
              <th scope="col" class="num">{t('people.marks_given')}</th>
              <th scope="col" class="num">{t('people.scores_given')}</th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => {
              const agent = p.as_agent.filter((a) => shown.has(a.round));
              const customer = p.as_customer.filter((a) => shown.has(a.round));
              return (
                <tr key={p.id} data-person={p.name}>
                  <th scope="row">{p.name}</th>
                  <td>
                    {agent.length
                      ? agent.map((a) => `${t('round.number', { n: a.round })} (${fmt(a.overall, lang)}${a.capped_by.length && a.overall !== null ? `, ${t('debrief.capped_flag')}` : ''})`).join(', ')
                      : '–'}
                  </td>
                  <td>{customer.length ? customer.map((a) => t('round.number', { n: a.round })).join(', ') : '–'}</td>
                  <td class="num">{p.marks_given}</td>
                  <td class="num">{p.scores_given}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
