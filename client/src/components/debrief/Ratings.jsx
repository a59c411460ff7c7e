// A round's global ratings and the players' reflections.
import { t } from '../../i18n.js';
import { personName } from '../../debrief.js';
import { fmt } from './format.jsx';

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
