import { useRef, useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { formatMs } from '../util.js';

const W = 600;
const H = 220;
const PAD = { left: 34, right: 12, top: 12, bottom: 30 };

export function angerWord(level) {
  if (level <= 2) return t('anger.calm');
  if (level <= 4) return t('anger.irritated');
  if (level <= 6) return t('anger.angry');
  if (level <= 8) return t('anger.very_angry');
  return t('anger.furious');
}

// The customer's own control: a big slider (tap anywhere on it, or drag) and
// one-step buttons either side. Moves go out while dragging, a few a second.
export function AngerMeter({ conn }) {
  const round = conn.round;
  const current = round.temperature ?? round.card.customer.start_temperature;
  const [local, setLocal] = useState(null);
  const last = useRef({ sent: current, at: 0, timer: null });
  const playing = conn.state.phase === 'roleplay';
  const value = local ?? current;

  const send = (level) => {
    const l = last.current;
    clearTimeout(l.timer);
    l.timer = null;
    if (level === l.sent) return;
    l.sent = level;
    l.at = Date.now();
    conn.setTemperature(level);
  };
  const onInput = (e) => {
    const level = Number(e.currentTarget.value);
    setLocal(level);
    const l = last.current;
    const wait = 350 - (Date.now() - l.at);
    clearTimeout(l.timer);
    if (wait <= 0) send(level);
    else l.timer = setTimeout(() => send(level), wait);
  };
  const onChange = (e) => {
    const level = Number(e.currentTarget.value);
    send(level);
    setLocal(null);
  };
  const step = (delta) => {
    const level = Math.max(0, Math.min(10, value + delta));
    setLocal(null);
    last.current.sent = null;
    send(level);
  };

  return (
    <section class="meter" data-testid="anger-meter" style={{ '--level': value }}>
      <h2 id="meter-label">{t('anger.your_anger')}</h2>
      <p class="muted">{playing ? t('anger.hint') : t('anger.paused_hint')}</p>
      <div class="meter-readout" aria-hidden="true">
        <span class="meter-number" data-testid="anger-value">
          {value}
        </span>
        <span class="meter-of">/10</span>
        <span class="meter-word">{angerWord(value)}</span>
      </div>
      <div class="meter-row">
        <button
          type="button"
          class="btn meter-step"
          onClick={() => step(-1)}
          disabled={!playing || value <= 0}
          aria-label={t('anger.calmer')}
        >
          −
        </button>
        <input
          type="range"
          class="meter-range"
          min="0"
          max="10"
          step="1"
          value={value}
          disabled={!playing}
          aria-labelledby="meter-label"
          aria-valuetext={`${value} / 10, ${angerWord(value)}`}
          onInput={onInput}
          onChange={onChange}
          data-testid="anger-range"
        />
        <button
          type="button"
          class="btn meter-step"
          onClick={() => step(1)}
          disabled={!playing || value >= 10}
          aria-label={t('anger.angrier')}
        >
          +
        </button>
      </div>
      <div class="meter-ends" aria-hidden="true">
        <span>0 · {t('anger.calm')}</span>
        <span>10 · {t('anger.furious')}</span>
      </div>
    </section>
  );
}

// The anger curve: the level over role-play time, as steps, with the live
// marks as ticks along the bottom.
export function AngerCurve({ round, elapsedMs, marks = [] }) {
  const start = round.card.customer ? round.card.customer.start_temperature : null;
  const temps = round.temperatures || [];
  const first = start ?? (temps.length ? temps[0].level : null);
  if (first === null) return null;
  const points = [{ t_ms: 0, level: first }, ...temps];
  const lastT = points[points.length - 1].t_ms;
  const durationMs = round.clock.duration_s ? round.clock.duration_s * 1000 : 0;
  const end = Math.max(elapsedMs || 0, lastT);
  const xMax = Math.max(end, durationMs, 60000);
  const x = (ms) => PAD.left + (ms / xMax) * (W - PAD.left - PAD.right);
  const y = (level) => PAD.top + (1 - level / 10) * (H - PAD.top - PAD.bottom);

  let d = `M${x(0)},${y(points[0].level)}`;
  for (let i = 1; i < points.length; i += 1) {
    d += ` H${x(points[i].t_ms)} V${y(points[i].level)}`;
  }
  d += ` H${x(end)}`;
  const levels = points.map((p) => p.level);
  const current = levels[levels.length - 1];
  const peak = Math.max(...levels);
  const label = t('anger.curve_label', { current, peak, changes: temps.length });

  return (
    <figure class="curve" data-testid="anger-curve">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
        {[0, 5, 10].map((lv) => (
          <g key={lv}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(lv)} y2={y(lv)} class="grid" />
            <text x={PAD.left - 8} y={y(lv) + 5} class="axis" text-anchor="end">
              {lv}
            </text>
          </g>
        ))}
        {durationMs > 0 && <line x1={x(durationMs)} x2={x(durationMs)} y1={PAD.top} y2={H - PAD.bottom} class="limit" />}
        <path d={d} class="line" />
        {marks.map((m) => (
          <line key={`${m.author}-${m.id}`} x1={x(m.t_ms)} x2={x(m.t_ms)} y1={H - PAD.bottom} y2={H - PAD.bottom + 8} class="tick" />
        ))}
        <text x={PAD.left} y={H - 4} class="axis">
          0:00
        </text>
        <text x={W - PAD.right} y={H - 4} class="axis" text-anchor="end">
          {formatMs(xMax)}
        </text>
      </svg>
      <figcaption class="muted">{label}</figcaption>
    </figure>
  );
}
