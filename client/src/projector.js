// What the projector counts and draws, from the facilitator's state and the
// server's results: pure functions, so the rules are tested apart from the page.

// Observers of the current round who have given a final score (a number or
// n/a) on every step the card scores. The facilitator's state has every score
// live (`step_scored`); the server sends no count of its own.
export function observersDone(state) {
  const round = state && state.round;
  if (!round) return { done: 0, total: 0 };
  // a fishbowl's scores come as the server's counts, not one by one
  if (round.live) return { done: round.live.scored, total: round.live.observers };
  const steps = round.card.steps || [];
  const observers = state.participants.filter((p) => p.role === 'observer');
  const scored = (id, step) => round.scores.some((s) => s.author === id && s.step === step);
  const done = observers.filter((p) => steps.every((step) => scored(p.id, step))).length;
  return { done, total: observers.length };
}

// The customer and agent who have answered their reflection (a count only:
// what they wrote is for the facilitator).
export function playersReflected(state) {
  const round = state && state.round;
  if (!round) return { done: 0, total: 0 };
  const players = [round.customer, round.agent].filter((id) => state.participants.some((p) => p.id === id));
  const reflected = new Set((round.reflections || []).map((r) => r.author));
  return { done: players.filter((id) => reflected.has(id)).length, total: players.length };
}

// Where a mean sits on the deck's scale, 0 to 1 (0 for no mean).
export function barShare(value, scale) {
  if (value === null || value === undefined) return 0;
  const span = scale.max - scale.min;
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, (value - scale.min) / span));
}

// The steps the round's card scores, in the deck's order, from the server's
// aggregates (GET /api/rooms/<code>/results: `rounds[].steps`).
export function shownSteps(resultRound) {
  return resultRound ? resultRound.steps.filter((s) => s.applies) : [];
}

// The scale's labels in order, e.g. [{value: 0, label: "not done"}, ...].
export function scaleLegend(scale) {
  const out = [];
  for (let v = scale.min; v <= scale.max; v += 1) {
    const label = scale.labels && scale.labels[String(v)];
    out.push({ value: v, label: label || '' });
  }
  return out;
}
