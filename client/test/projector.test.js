import { describe, expect, it } from 'vitest';
import { barShare, observersDone, observersNotDone, playersReflected, scaleLegend, shownSteps } from '../src/projector.js';

const people = [
  { id: 'a', name: 'Ann', role: 'agent' },
  { id: 'b', name: 'Bob', role: 'customer' },
  { id: 'c', name: 'Cas', role: 'observer' },
  { id: 'd', name: 'Dee', role: 'observer' },
  { id: 'e', name: 'Eva', role: 'observer' },
];
const score = (author, step, rating = 2) => ({ author, step, rating, comment: null });

function state(scores, reflections = []) {
  return {
    participants: people,
    round: { card: { steps: ['listen', 'calm'] }, customer: 'b', agent: 'a', scores, reflections },
  };
}

describe('observers done', () => {
  it('counts an observer once every step of the card has a score', () => {
    const s = state([score('c', 'listen'), score('c', 'calm'), score('d', 'listen')]);
    expect(observersDone(s)).toEqual({ done: 1, total: 3 });
  });
  it('counts n/a as a score, and ignores the facilitator and the players', () => {
    const s = state([score('c', 'listen', null), score('c', 'calm'), score('facilitator', 'listen'), score('facilitator', 'calm')]);
    expect(observersDone(s)).toEqual({ done: 1, total: 3 });
  });
  it('does not count steps the card does not score', () => {
    const s = state([score('e', 'listen'), score('e', 'ask')]);
    expect(observersDone(s).done).toBe(0);
  });
  it('is nothing before the first round', () => {
    expect(observersDone({ participants: people })).toEqual({ done: 0, total: 0 });
  });
});

describe('observers not done (whom the reveal waits for)', () => {
  it('are the observers with a step of the card still unscored, in the room’s order', () => {
    const s = state([score('c', 'listen'), score('c', 'calm'), score('d', 'listen'), score('e', 'calm', null)]);
    expect(observersNotDone(s).map((p) => p.name)).toEqual(['Dee', 'Eva']);
  });
  it('are nobody once every observer scored every step (n/a counts), whatever the players did', () => {
    const s = state(['c', 'd', 'e'].flatMap((id) => [score(id, 'listen'), score(id, 'calm', null)]));
    expect(observersNotDone(s)).toEqual([]);
  });
  it('are nobody before the first round', () => {
    expect(observersNotDone({ participants: people })).toEqual([]);
  });
});

describe('players reflected', () => {
  it('counts the customer and agent who answered', () => {
    expect(playersReflected(state([], [{ author: 'b' }]))).toEqual({ done: 1, total: 2 });
  });
  it('leaves out a player who has left the room', () => {
    const s = state([], [{ author: 'b' }]);
    s.participants = people.filter((p) => p.id !== 'a');
    expect(playersReflected(s)).toEqual({ done: 1, total: 1 });
  });
});

describe('bars and labels', () => {
  const scale = { min: 0, max: 3, labels: { 0: 'not done', 1: 'weak', 2: 'adequate', 3: 'skilled' } };
  it('place a mean on the scale', () => {
    expect(barShare(1.5, scale)).toBe(0.5);
    expect(barShare(3, scale)).toBe(1);
    expect(barShare(null, scale)).toBe(0);
    expect(barShare(4, { min: 1, max: 5 })).toBe(0.75);
  });
  it('show only the steps the card scores', () => {
    const round = { steps: [{ step: 'listen', applies: true }, { step: 'ask', applies: false }] };
    expect(shownSteps(round).map((s) => s.step)).toEqual(['listen']);
    expect(shownSteps(undefined)).toEqual([]);
  });
  it('list the scale with its labels', () => {
    expect(scaleLegend(scale)).toEqual([
      { value: 0, label: 'not done' },
      { value: 1, label: 'weak' },
      { value: 2, label: 'adequate' },
      { value: 3, label: 'skilled' },
    ]);
  });
});
