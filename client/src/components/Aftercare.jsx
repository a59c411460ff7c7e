// After-care (issue 15): after scoring, before the reveal, the two players
// step out of their roles and say how they are now. The console follows it
// here; the deck's after-care page is one fold away in the console and the
// debrief.
import { currentLanguage, t } from '../i18n.js';
import { checkInQuestions, checkInRows, missing, needsCare } from '../aftercare.js';
import { scoringLeft } from '../projector.js';
import { ConfirmButton, List, RoleBadge } from './common.jsx';
import { Paragraphs } from './CardNotes.jsx';
import './aftercare.css';

const aftercareOf = (deck) => (deck && deck.facilitator && deck.facilitator.aftercare) || null;

export function AftercarePage({ deck, open = false }) {
  const care = aftercareOf(deck);
  if (!care) return null;
  const lang = deck.language;
  return (
    <details class="brief-details aftercare-page" open={open} data-testid="aftercare-page">
      <summary>{t('aftercare.page')}</summary>
      <p class="muted small">{t('notes.private')}</p>
      {care.check_in && (
        <>
          <p class="label">{t('aftercare.check_in')}</p>
          <List items={care.check_in} lang={lang} />
        </>
      )}
      {care.guidance && (
        <>
          <p class="label">{t('aftercare.guidance')}</p>
          <List items={care.guidance} lang={lang} />
        </>
      )}
      {care.when_shaken && (
        <>
          <p class="label">{t('aftercare.when_shaken')}</p>
          <Paragraphs text={care.when_shaken} lang={lang} />
        </>
      )}
    </details>
  );
}

function rowName(row) {
  return row.name || t('participants.former');
}

function feelingText(row) {
  if (row.feeling === null) return t('aftercare.not_in');
  return `${row.feeling} · ${t(`reflect.feeling_${row.feeling}`)}`;
}

// Each player's "how are you now?" as it comes in; the deck's when-shaken
// guidance while one of them is at 1–2 or has not said.
export function CheckInPanel({ conn, deck }) {
  const { state } = conn;
  const rows = checkInRows(state);
  const care = aftercareOf(deck);
  const lang = state.deck.language;
  const shaken = rows.filter((r) => r.status === 'shaken');
  const questions = checkInQuestions(conn.round.check_in || (care && care.check_in), t, lang);
  return (
    <section class="check-in" aria-labelledby="checkin-h" data-testid="check-in">
      <h3 id="checkin-h">{t('aftercare.title')}</h3>
      <p class="muted">{t('aftercare.intro')}</p>
      <ul class="check-in-rows" aria-live="polite">
        {rows.map((r) => (
          <li key={r.id} class={`check-in-row is-${r.status}`} data-testid="check-in-row" data-status={r.status} data-role={r.role}>
            <span class="person-name">{rowName(r)}</span> <RoleBadge role={r.role} />{' '}
            <span class="check-in-feeling">{feelingText(r)}</span>
          </li>
        ))}
      </ul>
      {needsCare(rows) && (
        <div class="banner banner-warn when-shaken" role="status" data-testid="when-shaken">
          <p>
            <strong>
              {shaken.length
                ? t('aftercare.shaken', { names: shaken.map(rowName).join(', ') })
                : t('aftercare.waiting', { names: missing(rows).map(rowName).join(', ') })}
            </strong>
          </p>
          {care && care.when_shaken ? (
            <Paragraphs text={care.when_shaken} lang={lang} />
          ) : (
            <p data-testid="when-shaken-default">{t('aftercare.when_shaken_default')}</p>
          )}
        </div>
      )}
      <p class="label">{t('aftercare.asked')}</p>
      <List items={questions.items} lang={questions.lang || undefined} />
    </section>
  );
}

// "Zebulon has not finished scoring." or, in a fishbowl, "312 of 1,000
// observers have not finished scoring."
export function notScored({ count, total, names }) {
  if (names) return t('console.not_scored', { count, names: names.join(', ') });
  const n = (x) => x.toLocaleString(currentLanguage());
  return t('console.not_scored_of', { count, left: n(count), total: n(total) });
}

// "Reveal results", asking first (inside the page) while a player has not
// checked in or an observer has not finished scoring, by name.
export function RevealButton({ conn, busy, onReveal }) {
  const waiting = missing(checkInRows(conn.state));
  const scoring = scoringLeft(conn.state);
  const names = (list, name) => list.map(name).join(', ');
  const question = [
    waiting.length ? t('aftercare.not_checked_in', { count: waiting.length, names: names(waiting, rowName) }) : '',
    scoring.count ? notScored(scoring) : '',
    t('console.reveal_anyway'),
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <ConfirmButton
      label={t('console.reveal')}
      question={question}
      confirmLabel={t('aftercare.reveal_yes')}
      cancelLabel={t('aftercare.reveal_wait')}
      ask={() => waiting.length > 0 || scoring.count > 0}
      onConfirm={() => onReveal()}
      class="btn btn-primary btn-big"
      confirmClass="btn btn-primary"
      disabled={busy}
      testid="reveal"
    />
  );
}
