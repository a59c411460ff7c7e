import { describe, expect, it } from 'vitest';
import { applyCorrection, proposedScores, recentMarks } from '../src/marks.js';
import { initialRoom, reduce } from '../src/reducer.js';

const mark = (id, author, step, rating, t_ms, note = null) => ({ id, author, step, rating, note, t_ms });
const MARKS = [
  mark('a', 'cas', 'listen', 1, 5000),
  mark('a', 'dee', 'listen', 3, 5000), // the same client id, another author
  mark('b', 'cas', 'empathy', 2, 9000),
  mark('c', 'cas', 'listen', 3, 12000),
  mark('d', 'cas', 'stay_calm', 0, 12000),
];

describe('applyCorrection', () => {
  it('replaces the author’s mark in its place and leaves the others', () => {
    const now = { ...MARKS[0], rating: 2, note: 'let her finish' };
    const out = applyCorrection(MARKS, 'cas', 'a', now);
    expect(out[0]).toEqual(now);
    expect(out[1]).toEqual(MARKS[1]);
    expect(out).toHaveLength(5);
    expect(MARKS[0].rating).toBe(1); // not changed in place
  });
  it('takes a withdrawn mark out', () => {
    const out = applyCorrection(MARKS, 'cas', 'a', null);
    expect(out.map((m) => `${m.author}:${m.id}`)).toEqual(['dee:a', 'cas:b', 'cas:c', 'cas:d']);
  });
  it('adds a corrected mark it did not know, and ignores an unknown withdrawal', () => {
    const late = mark('z', 'cas', 'listen', 2, 1000);
    expect(applyCorrection(MARKS, 'cas', 'z', late)).toEqual([...MARKS, late]);
    expect(applyCorrection(MARKS, 'cas', 'z', null)).toBe(MARKS);
  });
});

describe('recentMarks', () => {
  it('gives one’s own newest marks first, at most three', () => {
    expect(recentMarks(MARKS, 'cas').map((m) => m.id)).toEqual(['d', 'c', 'b']);
    expect(recentMarks(MARKS, 'dee').map((m) => m.id)).toEqual(['a']);
    expect(recentMarks(MARKS, 'eva')).toEqual([]);
    expect(recentMarks(MARKS, 'cas', 1).map((m) => m.id)).toEqual(['d']);
  });
});

describe('proposedScores', () => {
  const steps = ['listen', 'empathy', 'stay_calm'];
  it('proposes the latest live mark of each step', () => {
    expect(proposedScores(MARKS, 'cas', steps)).toEqual({ listen: 3, empathy: 2, stay_calm: 0 });
    expect(proposedScores(MARKS, 'dee', steps)).toEqual({ listen: 3 });
  });
  it('proposes nothing for steps already scored, off the card, or never marked', () => {
    expect(proposedScores(MARKS, 'cas', steps, ['listen'])).toEqual({ empathy: 2, stay_calm: 0 });
    expect(proposedScores(MARKS, 'cas', ['empathy'])).toEqual({ empathy: 2 });
    expect(proposedScores(MARKS, 'eva', steps)).toEqual({});
  });
  it('follows a corrected picture: a withdrawn mark proposes nothing', () => {
    const fixed = applyCorrection(applyCorrection(MARKS, 'cas', 'c', null), 'cas', 'b', { ...MARKS[2], rating: 3 });
    expect(proposedScores(fixed, 'cas', steps)).toEqual({ listen: 1, empathy: 3, stay_calm: 0 });
  });
});

describe('the reducer folds corrections', () => {
  const deck = { id: 'd', title: 'Deck', language: 'en', scale: { min: 0, max: 3 }, steps: [{ key: 'listen' }] };
  const people = [{ id: 'cas', name: 'Cas', connected: true, role: null }];
  const round = { id: 1, number: 1, customer: 'x', agent: 'y', revealed: false, clock: { running: true, elapsed_ms: 0, duration_s: null },
    temperature: 5, temperatures: [], marks: MARKS, scores: [], global_ratings: {}, reflections: [] };
  const state = { version: 10, code: 'ABCDEF', title: 'Room', phase: 'roleplay', locked: false, deck, participants: people, round };
  const host = () => reduce(initialRoom('facilitator'), { type: 'joined', payload: { state }, at: 0 });
  const fix = (mark, undo, now) => ({ correction: { id: 'k', author: 'cas', mark, undo }, mark: now });

  it('the facilitator’s mark_corrected replaces or drops the mark, and counts as a version', () => {
    const changed = { ...MARKS[2], rating: 0 };
    let room = reduce(host(), { type: 'mark_corrected', payload: { version: 11, ...fix('b', false, changed) } });
    expect(room.state.round.marks[2]).toEqual(changed);
    expect(room.last).toBe(11);
    room = reduce(room, { type: 'mark_corrected', payload: { version: 12, ...fix('c', true, null) } });
    expect(room.state.round.marks.map((m) => `${m.author}:${m.id}`)).toEqual(['cas:a', 'dee:a', 'cas:b', 'cas:d']);
    expect(room.lost).toBe(false);
    expect(reduce(room, { type: 'mark_corrected', payload: { version: 14, ...fix('d', true, null) } }).lost).toBe(true); // 13 never came
  });

  it('our own correction, from its ack', () => {
    const participant = reduce(initialRoom('participant'), { type: 'joined', payload: { state: { ...state, you: { id: 'cas', name: 'Cas', role: 'observer' } }, you: { id: 'cas', name: 'Cas' } } });
    const room = reduce(participant, { type: 'mark_fixed', payload: fix('a', true, null) });
    expect(room.state.round.marks.filter((m) => m.author === 'cas').map((m) => m.id)).toEqual(['b', 'c', 'd']);
    expect(room.last).toBe(participant.last);
  });
});
