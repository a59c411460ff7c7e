// A round's timeline: the chart (drawn once Chart.js has loaded) and the same
// events as a table.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n.js';
import { angerPoints, appliedSteps, personName } from '../../debrief.js';
import { formatMs } from '../../util.js';
import { angerWord } from '../anger.jsx';
import { scaleLabel } from '../common.jsx';
import { stepLabelOf } from './format.jsx';
import { chartConfig } from './chartConfig.js';

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
    import('../../charts.js')
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
