import { t } from '../i18n.js';
import { authorName, List, scaleValues } from './common.jsx';

export function CardHead({ round, conn, level = 2 }) {
  const H = `h${level}`;
  const { card } = round;
  const lang = conn && conn.state.deck.language;
  return (
    <div class="card-head">
      <H class="card-title">
        <span class="muted round-no">{t('round.number', { n: round.number })}</span> <span lang={lang}>{card.title}</span>
      </H>
      <p class="card-meta">
        <span>{t('round.difficulty', { n: card.difficulty })}</span>
        {conn && (
          <span>
            {' · '}
            {t('round.cast', { customer: authorName(conn, round.customer), agent: authorName(conn, round.agent) })}
          </span>
        )}
      </p>
      <section class="setting" aria-label={t('brief.setting')}>
        <h3 class="label">{t('brief.setting')}</h3>
        <p lang={lang}>{card.setting}</p>
      </section>
    </div>
  );
}

// `level`: the heading level of the title; without a title the section labels take it.
export function CustomerBrief({ brief, title, lang, own = false, level = 3 }) {
  const T = `h${level}`;
  const L = `h${Math.min(6, title ? level + 1 : level)}`;
  const k = (key) => t(own ? `brief.${key}` : `brief.${key}_other`);
  return (
    <section class="brief brief-customer" data-testid="customer-brief" aria-label={title || t('brief.customer_title')}>
      {title && <T class="brief-title">{title}</T>}
      <L class="label">{k('persona')}</L>
      <p lang={lang}>{brief.persona}</p>
      <L class="label">{k('situation')}</L>
      <p lang={lang}>{brief.situation}</p>
      <L class="label">{k('opening_line')}</L>
      <blockquote class="opening-line" lang={lang}>{brief.opening_line}</blockquote>
      <p>
        <strong>{k('start_temperature')}:</strong> {brief.start_temperature} / 10
      </p>
      <div class="two-lists">
        <div>
          <L class="label label-hot">{k('escalates_when')}</L>
          <List items={brief.escalates_when} lang={lang} />
        </div>
        <div>
          <L class="label label-calm">{k('calms_when')}</L>
          <List items={brief.calms_when} lang={lang} />
        </div>
      </div>
      <L class="label">{k('wants')}</L>
      <p lang={lang}>{brief.wants}</p>
    </section>
  );
}

export function AgentBrief({ brief, title, lang, own = false, level = 3 }) {
  const T = `h${level}`;
  const L = `h${Math.min(6, title ? level + 1 : level)}`;
  const k = (key) => t(own ? `brief.${key}` : `brief.${key}_other`);
  return (
    <section class="brief brief-agent" data-testid="agent-brief" aria-label={title || t('brief.agent_title')}>
      {title && <T class="brief-title">{title}</T>}
      <L class="label">{t('brief.briefing')}</L>
      <p lang={lang}>{brief.briefing}</p>
      <div class="two-lists">
        <div>
          <L class="label label-calm">{k('may_offer')}</L>
          <List items={brief.may_offer} lang={lang} />
        </div>
        <div>
          <L class="label label-hot">{k('may_not')}</L>
          <List items={brief.may_not} lang={lang} />
        </div>
      </div>
    </section>
  );
}

export function ScaleLegend({ scale }) {
  return (
    <p class="scale-legend">
      <strong>{t('rubric.scale')}:</strong>{' '}
      {scaleValues(scale).map((v, i) => (
        <span key={v}>
          {i > 0 && ' · '}
          {v}
          {scale.labels[String(v)] ? ` = ${scale.labels[String(v)]}` : ''}
        </span>
      ))}
    </p>
  );
}

export function Rubric({ deck, steps }) {
  return (
    <section class="rubric" data-testid="rubric" aria-label={t('rubric.title')}>
      <h3 class="brief-title">{t('rubric.title')}</h3>
      <ScaleLegend scale={deck.scale} />
      <ol class="rubric-steps">
        {steps.map((s) => (
          <li key={s.key}>
            <h4 class="rubric-step">
              <span lang={deck.language}>{s.label}</span> {s.critical && <span class="badge badge-critical">{t('rubric.critical')}</span>}
            </h4>
            {s.description && (
              <p class="muted" lang={deck.language}>
                {s.description}
              </p>
            )}
            {s.look_for.length > 0 && (
              <>
                <p class="label">{t('rubric.look_for')}</p>
                <List items={s.look_for} class="look-for" lang={deck.language} />
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
