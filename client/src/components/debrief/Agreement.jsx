// How much the observers agreed over the whole workshop (Krippendorff's alpha).
import { t } from '../../i18n.js';
import { agreementText } from '../../debrief.js';

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
