import { describe, expect, it } from 'vitest';
import {
  agreementText,
  analysisOrder,
  angerMoments,
  angerPoints,
  extremes,
  goodFrom,
  isLow,
  ratingColour,
  shownRounds,
  timelineEnd,
  uncappedOverall,
  wrapLabel,
} from '../src/debrief.js';

const scale = { min: 0, max: 3 };

function step(key, mean, extra = {}) {
  return { step: key, applies: true, mean, min: mean, max: mean, disagreement: false, ...extra };
}

function round(extra = {}) {
  return { steps: [], capped_by: [], marks: [], temperatures: [], timeouts: [], scores: [], elapsed_ms: 0, ...extra };
}

describe('agreement bands', () => {
  // The server's bands (services/agreement.py): >= 0.8 strong, >= 0.667 fair, >= 0.4 weak, else little.
  it.each([
    [0.95, 'strong'],
    [0.8, 'strong'],
    [0.79, 'fair'],
    [0.7, 'fair'],
    [0.667, 'fair'],
    [0.6, 'weak'],
    [0.4, 'weak'],
    [0.39, 'little'],
    [-0.2, 'little'],
  ])('alpha %s reads as %s', (alpha, level) => {
    expect(agreementText({ alpha, reading: '' }).level).toBe(level);
  });

  it('says why there is no alpha', () => {
    const r = agreementText({ alpha: null, reading: 'not enough data: at least 4 paired ratings', units: 1, observers: 2 });
    expect(r.level).toBe('none');
    expect(r.text).toContain('4');
    expect(agreementText({ alpha: null, reading: 'every observer gave the same rating' }).level).toBe('none');
    expect(agreementText(null).level).toBe('none');
  });
});

describe('overall and low steps', () => {
  it('averages only the steps that were scored', () => {
    const r = round({ steps: [step('a', 1), step('b', 3), step('c', null), { ...step('d', 0), applies: false }] });
    expect(uncappedOverall(r)).toBe(2);
    expect(uncappedOverall(round({ steps: [step('a', null)] }))).toBeNull();
  });

  it('scores well from the upper half of the scale', () => {
    expect(goodFrom({ min: 0, max: 3 })).toBe(2);
    expect(goodFrom({ min: 1, max: 5 })).toBe(4);
    expect(goodFrom({ min: 0, max: 4 })).toBe(3);
  });

  it('a step is low below the upper half, and an unscored step is not low', () => {
    expect(isLow(step('a', 1.5), scale)).toBe(true); // between weak and adequate: not good
    expect(isLow(step('a', 1.99), scale)).toBe(true);
    expect(isLow(step('a', 2), scale)).toBe(false);
    expect(isLow(step('a', null), scale)).toBe(false);
  });

  it('a critical step below the upper half leads, even before disagreement', () => {
    const r = round({ steps: [step('split', 2, { disagreement: true, min: 0, max: 3 }), step('calm', 1.5, { critical: true })] });
    expect(analysisOrder(r, scale).focus.map((s) => s.step)).toEqual(['calm', 'split']);
  });

  it('steps nobody scored are their own group, never among the good ones', () => {
    const r = round({ steps: [step('fine', 3), step('na', null), step('na2', null, { critical: true })] });
    const order = analysisOrder(r, scale);
    expect(order.focus).toEqual([]);
    expect(order.rest.map((s) => s.step)).toEqual(['fine']);
    expect(order.unscored.map((s) => s.step)).toEqual(['na', 'na2']);
  });

  it('puts a capping step first, then disagreement, then low means, lowest first', () => {
    const r = round({
      steps: [
        step('fine', 3),
        step('low', 1),
        step('lower', 0.5),
        step('capped', 2),
        step('split', 2, { disagreement: true, min: 0, max: 3 }),
        step('split_less', 2, { disagreement: true, min: 1, max: 3 }),
      ],
      capped_by: ['capped'],
    });
    const order = analysisOrder(r, scale);
    expect(order.focus.map((s) => s.step)).toEqual(['capped', 'split', 'split_less', 'lower', 'low']);
    expect(order.rest.map((s) => s.step)).toEqual(['fine']);
  });
});

describe('the anger curve', () => {
  const r = round({
    elapsed_ms: 60_000,
    temperatures: [
      { t_ms: 10_000, level: 9 },
      { t_ms: 20_000, level: 4 },
      { t_ms: 30_000, level: 6 },
    ],
  });

  it('starts at the card, follows every change and ends at the time played', () => {
    expect(angerPoints(r, 7)).toEqual([
      { x: 0, y: 7 },
      { x: 10_000, y: 9 },
      { x: 20_000, y: 4 },
      { x: 30_000, y: 6 },
      { x: 60_000, y: 6, end: true },
    ]);
  });

  it('finds the biggest rise, the biggest fall and the peak', () => {
    const m = angerMoments(r, 7);
    expect(m.rise).toEqual({ delta: 2, t_ms: 10_000, from: 7, to: 9 });
    expect(m.fall).toEqual({ delta: 5, t_ms: 20_000, from: 9, to: 4 });
    expect(m.peak).toEqual({ level: 9, t_ms: 10_000 });
  });

  it('has no curve without a start or a move', () => {
    expect(angerPoints(round(), null)).toEqual([]);
  });

  it('the timeline covers a mark made after the clock', () => {
    expect(timelineEnd(round({ elapsed_ms: 5_000, marks: [{ t_ms: 8_000 }] }))).toBe(8_000);
    expect(timelineEnd(round())).toBe(1000);
  });
});

describe('rounds shown in the debrief', () => {
  const rounds = [
    round({ revealed: true, id: 'r1' }),
    round({ revealed: false, id: 'r2', elapsed_ms: 10 }),
    round({ revealed: false, id: 'r3' }),
  ];
  it('only revealed rounds while the room is open', () => {
    expect(shownRounds({ room: { phase: 'review' }, rounds }).map((x) => x.id)).toEqual(['r1']);
  });
  it('every played round once the room is closed', () => {
    expect(shownRounds({ room: { phase: 'closed' }, rounds }).map((x) => x.id)).toEqual(['r1', 'r2']);
  });
});

describe('extremes', () => {
  it('ignores the facilitator and n/a, and needs a real spread', () => {
    const scores = [
      { step: 'a', author: 'p1', rating: 1 },
      { step: 'a', author: 'p2', rating: 3 },
      { step: 'a', author: 'facilitator', rating: 0 },
      { step: 'a', author: 'p3', rating: null },
    ];
    const e = extremes(round({ scores }), 'a');
    expect(e.low.author).toBe('p1');
    expect(e.high.author).toBe('p2');
    expect(extremes(round({ scores: scores.slice(0, 1) }), 'a')).toBeNull();
  });
});

describe('chart helpers', () => {
  it('colours run from the lowest to the highest rating', () => {
    expect(ratingColour(scale, 0)).toBe('#440154');
    expect(ratingColour(scale, 3)).toBe('#4fb34f');
    expect(ratingColour(scale, 99)).toBe('#4fb34f');
  });
  it('wraps long labels into at most two lines with an ellipsis', () => {
    const lines = wrapLabel('Ask open questions about what happened before and after the call', 20, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1].endsWith('…')).toBe(true);
    expect(lines.every((l) => l.length <= 20)).toBe(true);
  });
});
