// The debrief conversation for one round, in four stages: reactions (the
// customer first, then the agent), what happened (walk the timeline),
// analysis (steps with disagreement or low scores first, with questions made
// from the deck's look-fors), take-aways. Prompts use the round's names,
// times and scores; the take-aways open with the card's learning goal, and
// the look-fors are the card's narrowed ones where it has them.
import { t } from '../i18n.js';
import { analysisOrder, angerMoments, extremes, isLow, personName } from '../debrief.js';
import { formatMs } from '../util.js';
import { fmt } from './debrief/format.jsx';
import { scaleLabel } from './common.jsx';
import { isShaken, narrowSteps } from '../aftercare.js';

const FIRST_LOOK_FORS = 3;

function Quote({ text, lang }) {
  return (
    <span class="look-for-q">
      “<span lang={lang}>{text}</span>”
    </span>
  );
}

function Stage({ n, id, title, intro, level, children }) {
  const H = `h${Math.min(6, level)}`;
  return (
    <li class="guide-stage" data-stage={id} data-testid={`guide-${id}`}>
      <H class="guide-stage-title">
        <span class="guide-n" aria-hidden="true">
          {n}
        </span>
        <span>{title}</span>
      </H>
      {intro && <p class="muted">{intro}</p>}
      {children}
    </li>
  );
}

function LookForPrompts({ step, deckStep, deckLang, agent, withRest = true }) {
  const items = (deckStep && deckStep.look_for) || [];
  const first = items.slice(0, FIRST_LOOK_FORS);
  const rest = items.slice(FIRST_LOOK_FORS);
  return (
    <>
      <ul class="prompts">
        {first.map((lf, i) => (
          <li key={i} data-testid="look-for-prompt">
            {t('guide.when_did_you_see_pre')}
            <Quote text={lf} lang={deckLang} />
            {t('guide.when_did_you_see_post', { agent })}
          </li>
        ))}
        {items.length === 0 && <li>{t('guide.what_did_you_see', { step: step.label })}</li>}
      </ul>
      {withRest && rest.length > 0 && (
        <details class="more-prompts">
          <summary>{t('guide.more_look_fors', { count: rest.length })}</summary>
          <ul class="prompts">
            {rest.map((lf, i) => (
              <li key={i} data-testid="look-for-prompt">
                {t('guide.when_did_you_see_pre')}
                <Quote text={lf} lang={deckLang} />
                {t('guide.when_did_you_see_post', { agent })}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

function StepFocus({ round, step, deckStep, scale, lang, deckLang, agent, level }) {
  const H = `h${Math.min(6, level)}`;
  const capped = round.capped_by.includes(step.step);
  const low = isLow(step, scale);
  const ex = step.disagreement ? extremes(round, step.step) : null;
  return (
    <li class="focus-step" data-step={step.step}>
      <H class="focus-title">
        <span lang={deckLang}>{step.label}</span>
        <span class="focus-why">
          {step.disagreement && <span class="flag flag-disagree">{t('guide.why_disagree', { min: fmt(step.min, lang), max: fmt(step.max, lang) })}</span>}
          {capped && <span class="flag flag-capped">{t('guide.why_capped')}</span>}
          {low && !capped && <span class="flag flag-low">{t('guide.why_low', { mean: fmt(step.mean, lang) })}</span>}
        </span>
      </H>
      <ul class="prompts">
        {ex && (
          <li>
            {t('guide.disagree_q', {
              low: personName(ex.low.author, ex.low.author_name),
              lowScore: scaleLabel(scale, ex.low.rating),
              high: personName(ex.high.author, ex.high.author_name),
              highScore: scaleLabel(scale, ex.high.rating),
            })}
          </li>
        )}
        {step.disagreement && !ex && <li>{t('guide.disagree_q_general')}</li>}
        {(low || capped) && <li>{t('guide.instead_q', { agent })}</li>}
        {capped && <li>{t('guide.critical_q')}</li>}
      </ul>
      <LookForPrompts step={step} deckStep={deckStep} deckLang={deckLang} agent={agent} />
    </li>
  );
}

export function Guide({ round, scale, deckSteps, deckLang, start, lang, headingLevel = 3, learningGoal = null, lookFors = null }) {
  const H = `h${headingLevel}`;
  const customer = personName(round.customer.id, round.customer.name);
  const agent = personName(round.agent.id, round.agent.name);
  const moments = angerMoments(round, start);
  const { focus, rest, unscored } = analysisOrder(round, scale);
  const analysisIntro = focus.length ? t('guide.analysis_intro') : rest.length ? t('guide.analysis_all_good') : t('guide.analysis_none_scored');
  const steps = narrowSteps(deckSteps || [], lookFors);
  const deckStep = (key) => steps.find((s) => s.key === key);
  const gotTemps = round.temperatures.length > 0;
  // a player who checked in at 1–2 comes first, before anyone's reactions
  const shaken = (round.reflections || []).filter((r) => isShaken(r.feeling));
  return (
    <section class="guide" data-testid="guide" aria-labelledby={`guide-h-${round.number}`}>
      <H id={`guide-h-${round.number}`}>{t('guide.title')}</H>
      <p class="muted">{t('guide.intro')}</p>
      <ol class="guide-stages">
        <Stage level={headingLevel + 1} n={1} id="reactions" title={t('guide.reactions')} intro={t('guide.reactions_intro')}>
          {shaken.length > 0 && (
            <p class="banner banner-warn" data-testid="guide-shaken">
              {t('guide.r_shaken', { names: shaken.map((r) => personName(r.author, r.author_name)).join(', ') })}
            </p>
          )}
          <ul class="prompts">
            <li>{t('guide.r_customer', { name: customer })}</li>
            <li>{t('guide.r_customer_2', { name: customer })}</li>
            <li>{t('guide.r_agent', { name: agent })}</li>
            <li>{t('guide.r_observers')}</li>
          </ul>
        </Stage>
        <Stage level={headingLevel + 1} n={2} id="what-happened" title={t('guide.happened')} intro={t('guide.happened_intro')}>
          <ul class="prompts">
            <li>{t('guide.h_walk', { agent, customer })}</li>
            {moments.peak && gotTemps && <li>{t('guide.h_peak', { level: moments.peak.level, time: formatMs(moments.peak.t_ms) })}</li>}
            {moments.rise && <li>{t('guide.h_rise', { time: formatMs(moments.rise.t_ms), from: moments.rise.from, to: moments.rise.to })}</li>}
            {moments.fall && <li>{t('guide.h_fall', { time: formatMs(moments.fall.t_ms), from: moments.fall.from, to: moments.fall.to, agent })}</li>}
            {!gotTemps && <li>{t('guide.h_no_meter', { customer })}</li>}
            {round.timeouts.map((to, i) => (
              <li key={`to-${i}`}>
                {to.reason
                  ? t('guide.h_timeout_reason', { time: formatMs(to.t_ms), name: personName(to.by, to.name), reason: to.reason })
                  : t('guide.h_timeout', { time: formatMs(to.t_ms), name: personName(to.by, to.name) })}
              </li>
            ))}
          </ul>
        </Stage>
        <Stage level={headingLevel + 1} n={3} id="analysis" title={t('guide.analysis')} intro={analysisIntro}>
          {focus.length > 0 && (
            <ol class="focus-steps">
              {focus.map((s) => (
                <StepFocus level={headingLevel + 2} key={s.step} round={round} step={s} deckStep={deckStep(s.step)} scale={scale} lang={lang} deckLang={deckLang} agent={agent} />
              ))}
            </ol>
          )}
          {rest.length > 0 && (
            <details class="more-prompts" open={focus.length === 0}>
              <summary>{t('guide.other_steps', { count: rest.length })}</summary>
              <ul class="other-steps">
                {rest.map((s) => {
                  const ds = deckStep(s.step);
                  const lf = ds && ds.look_for && ds.look_for[0];
                  return (
                    <li key={s.step} data-step={s.step}>
                      <strong lang={deckLang}>{s.label}</strong> ({fmt(s.mean, lang)}) —{' '}
                      {lf ? (
                        <>
                          {t('guide.keep_pre', { agent })}
                          <Quote text={lf} lang={deckLang} />
                          {t('guide.keep_post')}
                        </>
                      ) : (
                        t('guide.keep_general', { agent })
                      )}
                    </li>
                  );
                })}
              </ul>
            </details>
          )}
          {unscored.length > 0 && (
            <div class="unscored-steps" data-testid="guide-unscored">
              <p>
                {t('guide.unscored', { count: unscored.length })}{' '}
                {unscored.map((s, i) => (
                  <span key={s.step} data-step={s.step}>
                    {i > 0 && ', '}
                    <strong lang={deckLang}>{s.label}</strong>
                  </span>
                ))}
              </p>
              <ul class="prompts">
                <li>{t('guide.unscored_q', { agent })}</li>
              </ul>
            </div>
          )}
        </Stage>
        <Stage level={headingLevel + 1} n={4} id="take-aways" title={t('guide.takeaways')} intro={t('guide.takeaways_intro')}>
          <ul class="prompts">
            {learningGoal && (
              <li data-testid="guide-learning-goal">
                {t('guide.t_goal')} <Quote text={learningGoal} lang={deckLang} /> {t('guide.t_goal_q', { agent })}
              </li>
            )}
            <li>{t('guide.t_agent', { name: agent })}</li>
            <li>{t('guide.t_customer', { name: customer })}</li>
            <li>{t('guide.t_everyone')}</li>
          </ul>
        </Stage>
      </ol>
    </section>
  );
}
