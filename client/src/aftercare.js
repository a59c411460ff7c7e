// The after-care check-in (issue 15): after the role-play the two players say
// how they are now (`reflect` feeling 1–5) before the results are revealed.
// Pure functions over the facilitator's state, for the console's panel.

// 1 "very bad" and 2 "bad": the facilitator checks in with this player first.
export const SHAKEN_AT_MOST = 2;

export function isShaken(feeling) {
  return typeof feeling === 'number' && feeling <= SHAKEN_AT_MOST;
}

// The round's two players, customer first, with their feeling (null until
// they check in) and a status: 'missing', 'shaken' or 'ok'.
export function checkInRows(state) {
  const round = state && state.round;
  if (!round) return [];
  const reflections = round.reflections || [];
  return [
    ['customer', round.customer],
    ['agent', round.agent],
  ].map(([role, id]) => {
    const person = state.participants.find((p) => p.id === id);
    const reflection = reflections.find((r) => r.author === id);
    const feeling = reflection ? reflection.feeling : null;
    return {
      id,
      role,
      name: person ? person.name : null,
      present: !!person,
      feeling,
      status: feeling === null ? 'missing' : isShaken(feeling) ? 'shaken' : 'ok',
    };
  });
}

// The deck's when-shaken guidance is shown as long as one player is shaken
// or has not said how they are.
export function needsCare(rows) {
  return rows.some((r) => r.status !== 'ok');
}

export function missing(rows) {
  return rows.filter((r) => r.status === 'missing');
}

// The check-in runs in every round, also with a deck that has no after-care
// page (a trainer's own deck): then the players get these general questions,
// in the interface's language, instead of the deck's `check_in`.
export const DEFAULT_CHECK_IN = ['aftercare.default_q1', 'aftercare.default_q2', 'aftercare.default_q3'];

// The questions the two players are asked: the deck's (round.check_in, in
// the deck's language) or the general ones (`lang` null: the interface's).
export function checkInQuestions(deckQuestions, translate, deckLanguage) {
  if (Array.isArray(deckQuestions) && deckQuestions.length) return { items: deckQuestions, lang: deckLanguage, own: true };
  return { items: DEFAULT_CHECK_IN.map((key) => translate(key)), lang: null, own: false };
}

// A card of the full deck (GET /api/decks/<id>?room=...) by its id.
export function findCard(deck, id) {
  if (!deck || !Array.isArray(deck.cards)) return null;
  return deck.cards.find((c) => c.id === id) || null;
}

// The deck's steps with a card's narrowed look-fors in place of the
// rubric's general ones, where the card has them.
export function narrowSteps(steps, lookFors) {
  if (!lookFors) return steps;
  return steps.map((s) => (Array.isArray(lookFors[s.key]) && lookFors[s.key].length ? { ...s, look_for: lookFors[s.key] } : s));
}
