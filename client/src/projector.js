// What the projector counts and draws, from the facilitator's state and the
// server's results: pure functions, so the rules are tested apart from the page.

// Observers of the current round who have not yet given a final score (a
// number or n/a) on every step the card scores: the people the reveal waits
// for. The facilitator's state has every score live (`step_scored`) and the
// observers' roles; the server sends no list of its own.
export function observersNotDone(state) {
  const round = state && state.round;
  if (!round) return [];
  const steps = round.card.steps || [];
  const scored = (id, step) => round.scores.some((s) => s.author === id && s.step === step);
  return state.participants.filter((p) => p.role === 'observer' && !steps.every((step) => scored(p.id, step)));
}

// Who the reveal waits for, as the facilitator's screen says it: by name in a
// room where scores come one by one; in a fishbowl, where they come as the
// server's counts (`round.live`), as "312 of 1,000 have not finished".
export function scoringLeft(state) {
  const round = state && state.round;
  if (round && round.live) {
    const { observers, scored, scoring } = round.live;
    return { count: Math.max(0, observers - scored), total: observers, scoring: scoring || 0, names: null };
  }
  const left = observersNotDone(state);
  return { count: left.length, total: null, scoring: null, names: left.map((p) => p.name) };
}

// How many observers are done, of how many (the projector shows no names).
export function observersDone(state) {
  const round = state && state.round;
  if (!round) return { done: 0, total: 0 };
  // a fishbowl's scores come as the server's counts, not one by one
  if (round.live) return { done: round.live.scored, total: round.live.observers };
  const total = state.participants.filter((p) => p.role === 'observer').length;
  return { done: total - observersNotDone(state).length, total };
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
