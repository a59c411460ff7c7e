// The Chart.js configuration of a round's timeline: marks per step, the anger
// curve on a second axis, time-outs as markers.
import { t } from '../../i18n.js';
import { angerPoints, appliedSteps, ratingColour, ratingShape, timelineEnd, timeStep, wrapLabel } from '../../debrief.js';
import { formatMs } from '../../util.js';
import { angerWord } from '../anger.jsx';
import { scaleLabel, scaleValues } from '../common.jsx';
import { stepLabelOf } from './format.jsx';

export function chartConfig({ round, scale, start, print, names, width }) {
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
