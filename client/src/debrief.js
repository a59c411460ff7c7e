// What the debrief makes of the results JSON (GET /api/rooms/<code>/results):
// no rendering here, only the sums and choices the screens and the printed
// report share.
import { t } from './i18n.js';
import { nameInResults } from './names.js';

// The steps scored on a round's card, in deck order.
export function appliedSteps(round) {
  return round.steps.filter((s) => s.applies);
}

// Rounds worth showing: revealed ones, and in a closed room every round that
// got as far as the role-play (nothing can be revealed any more).
export function shownRounds(results) {
  const closed = results.room.phase === 'closed';
  return results.rounds.filter((r) => r.revealed || (closed && (r.elapsed_ms > 0 || r.marks.length || r.scores.length)));
}

// The round's overall mean before the cap for a critical step.
export function uncappedOverall(round) {
  const means = appliedSteps(round)
    .map((s) => s.mean)
    .filter((m) => m !== null);
  if (!means.length) return null;
  return Math.round((means.reduce((a, b) => a + b, 0) / means.length) * 100) / 100;
}

// The lowest rating of the scale's upper half: 2 ("adequate") on 0–3, 4 on
// 1–5. A step scores well from there up; below it, it is low, whatever the
// arithmetic middle says (a critical step at 1.5 on 0–3 is not "fine").
export function goodFrom(scale) {
  return scale.min + Math.ceil((scale.max - scale.min + 1) / 2);
}

export function isLow(step, scale) {
  return step.mean !== null && step.mean < goodFrom(scale);
}

// A step nobody scored (every observer said n/a, or nobody scored at all).
export function isUnscored(step) {
  return step.mean === null;
}

// Colours and point shapes per rating: a colour-blind-safe ramp from dark
// purple (lowest) to green (highest), each with its own shape, and a dark
// border on every point so even the lightest keeps its contrast.
const RAMP = ['#440154', '#3b528b', '#21918c', '#4fb34f'];
const SHAPES = ['crossRot', 'triangle', 'rectRot', 'circle', 'rect', 'star'];

function hex(c) {
  return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
}

export function ratingColour(scale, rating) {
  const span = scale.max - scale.min || 1;
  const f = Math.max(0, Math.min(1, (rating - scale.min) / span)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(f));
  const a = hex(RAMP[i]);
  const b = hex(RAMP[i + 1]);
  const w = f - i;
  const mix = a.map((v, k) => Math.round(v + (b[k] - v) * w));
  return `#${mix.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

export function ratingShape(scale, rating) {
  const values = scale.max - scale.min + 1;
  if (values <= 4) return SHAPES[Math.max(0, rating - scale.min)] || 'circle';
  return SHAPES[(rating - scale.min) % SHAPES.length];
}

// The anger level at the start of a round: the card's start temperature when
// we know the card, else the first level the customer set.
export function startLevel(round, deck) {
  const card = deck && deck.cards ? deck.cards.find((c) => c.id === round.card.id) : null;
  if (card && card.customer && typeof card.customer.start_temperature === 'number') return card.customer.start_temperature;
  return round.temperatures.length ? round.temperatures[0].level : null;
}

// Where the timeline ends: the time played, or the last thing that happened.
export function timelineEnd(round) {
  const times = [round.elapsed_ms || 0, ...round.marks.map((m) => m.t_ms), ...round.temperatures.map((x) => x.t_ms), ...round.timeouts.map((x) => x.t_ms)];
  return Math.max(1000, ...times);
}

// The anger curve as points: the start, every change, and the end.
export function angerPoints(round, start) {
  const temps = round.temperatures;
  const first = start ?? (temps.length ? temps[0].level : null);
  if (first === null) return [];
  const points = [{ x: 0, y: first }, ...temps.map((x) => ({ x: x.t_ms, y: x.level }))];
  const end = timelineEnd(round);
  const last = points[points.length - 1];
  if (last.x < end) points.push({ x: end, y: last.y, end: true });
  return points;
}

// The biggest rise and the biggest fall of the anger level (for "what happened").
export function angerMoments(round, start) {
  const points = angerPoints(round, start).filter((p) => !p.end);
  let rise = null;
  let fall = null;
  for (let i = 1; i < points.length; i += 1) {
    const d = points[i].y - points[i - 1].y;
    if (d > 0 && (!rise || d > rise.delta)) rise = { delta: d, t_ms: points[i].x, from: points[i - 1].y, to: points[i].y };
    if (d < 0 && (!fall || -d > fall.delta)) fall = { delta: -d, t_ms: points[i].x, from: points[i - 1].y, to: points[i].y };
  }
  const peak = points.length ? points.reduce((a, b) => (b.y > a.y ? b : a)) : null;
  return { rise, fall, peak: peak && { level: peak.y, t_ms: peak.x } };
}

// The steps to talk about first: a critical step that capped the result or
// scored low always leads (lowest first), then disagreement (widest spread
// first), then low means (lowest first); the steps that scored well after
// them, in deck order; steps nobody scored are a group of their own, never
// praised.
export function analysisOrder(round, scale) {
  const steps = appliedSteps(round);
  const weight = (s) => {
    if (isUnscored(s)) return 4;
    if (round.capped_by.includes(s.step) || (s.critical && isLow(s, scale))) return 0;
    if (s.disagreement) return 1;
    if (isLow(s, scale)) return 2;
    return 3;
  };
  const sorted = steps
    .map((s, i) => ({ s, i, w: weight(s) }))
    .sort((a, b) => {
      if (a.w !== b.w) return a.w - b.w;
      if (a.w === 1) return b.s.max - b.s.min - (a.s.max - a.s.min) || a.i - b.i;
      if (a.w === 0 || a.w === 2) return a.s.mean - b.s.mean || a.i - b.i;
      return a.i - b.i;
    });
  return {
    focus: sorted.filter((x) => x.w < 3).map((x) => x.s),
    rest: sorted.filter((x) => x.w === 3).map((x) => x.s),
    unscored: sorted.filter((x) => x.w === 4).map((x) => x.s),
  };
}

// Who gave the lowest and the highest final score of a step (observers).
export function extremes(round, stepKey) {
  const scores = round.scores.filter((s) => s.step === stepKey && s.author !== 'facilitator' && s.rating !== null);
  if (scores.length < 2) return null;
  const lo = scores.reduce((a, b) => (b.rating < a.rating ? b : a));
  const hi = scores.reduce((a, b) => (b.rating > a.rating ? b : a));
  if (lo.rating === hi.rating) return null;
  return { low: lo, high: hi };
}

// The agreement in the reader's language. The server's `reading` is English;
// the thresholds below are the server's (services/agreement.py).
export function agreementText(agreement) {
  if (!agreement) return { level: 'none', text: t('agreement.not_computed') };
  const { alpha, reading = '' } = agreement;
  if (alpha !== null && alpha !== undefined) {
    const level = alpha >= 0.8 ? 'strong' : alpha >= 0.667 ? 'fair' : alpha >= 0.4 ? 'weak' : 'little';
    return { level, text: t(`agreement.${level}`) };
  }
  if (/^not enough data/i.test(reading)) {
    const m = /at least (\d+)/.exec(reading);
    return { level: 'none', text: t('agreement.not_enough', { need: m ? Number(m[1]) : 6, units: agreement.units, observers: agreement.observers }) };
  }
  if (/^every observer/i.test(reading)) return { level: 'none', text: t('agreement.no_spread') };
  return { level: 'none', text: t('agreement.not_computed') };
}

// A name from the results, by the one naming rule (names.js).
export const personName = nameInResults;

// Break a long label into at most `maxLines` lines of about `width`
// characters (chart axes); what does not fit ends in an ellipsis.
export function wrapLabel(text, width = 28, maxLines = 2) {
  const words = String(text)
    .split(/\s+/)
    .map((w) => (w.length > width ? `${w.slice(0, width - 1)}…` : w));
  const lines = [];
  let line = '';
  for (const w of words) {
    if (line && `${line} ${w}`.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = `${kept[maxLines - 1]} ${lines.slice(maxLines).join(' ')}`;
  kept[maxLines - 1] = `${last.slice(0, width - 1).trimEnd()}…`;
  return kept;
}

// A "nice" tick distance for a time axis of `ms` milliseconds.
export function timeStep(ms) {
  const candidates = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800].map((s) => s * 1000);
  return candidates.find((c) => ms / c <= 10) || 3600 * 1000;
}
