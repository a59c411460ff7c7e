// The pieces of the debrief (this folder) are shared by the console's debrief
// view, the printed report and the take-home summary. They all work on the
// results JSON (GET /api/rooms/<code>/results), not on the live room state, so
// they show every round the same way. Here: numbers, the warning icon, who played.
import { t } from '../../i18n.js';
import { personName } from '../../debrief.js';
import { formatMs } from '../../util.js';

export function fmt(value, lang, digits = 1) {
  if (value === null || value === undefined) return '–';
  return Number(value).toLocaleString(lang, { maximumFractionDigits: digits });
}

export function fmtRange(step, lang) {
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

export function stepLabelOf(round, key) {
  const s = round.steps.find((x) => x.step === key);
  return s ? s.label : key;
}
