// Live marks as their authors left them, and what the final scoring sheet
// proposes from them. Pure functions: the connection and the screens use
// them, vitest checks them (client/test/marks.test.js).

// How many of one's own latest marks the observer's screen offers to change.
export const CORRECTABLE = 3;

const same = (a, b) => a.id === b.id && a.author === b.author;

// `marks` after a correction of the mark `markId` by `author`: the mark as
// it now reads in its place, or gone when `now` is null (taken back).
export function applyCorrection(marks, author, markId, now) {
  const at = marks.findIndex((m) => same(m, { id: markId, author }));
  if (at < 0) return now ? [...marks, now] : marks;
  const out = [...marks];
  if (now) out[at] = now;
  else out.splice(at, 1);
  return out;
}

// One's own marks, newest first, at most `n`: the ones "undo" and "change"
// are offered for.
export function recentMarks(marks, author, n = CORRECTABLE) {
  return marks
    .filter((m) => m.author === author)
    .map((m, i) => [m, i])
    .sort((a, b) => b[0].t_ms - a[0].t_ms || b[1] - a[1])
    .slice(0, n)
    .map(([m]) => m);
}

// The final score each step starts from: the author's latest live mark of
// that step (ties: the later one in the list). Steps already scored, steps
// not on the card and steps without a mark get no proposal.
export function proposedScores(marks, author, stepKeys, scoredKeys = []) {
  const scored = new Set(scoredKeys);
  const out = {};
  for (const m of recentMarks(marks, author, Infinity).reverse()) {
    if (stepKeys.includes(m.step) && !scored.has(m.step)) out[m.step] = m.rating;
  }
  return out;
}
