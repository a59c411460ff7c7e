// The whole workshop per person.
import { t } from '../../i18n.js';
import { fmt } from './format.jsx';

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
