// Answers from the server that follow the draft as it is typed: validation
// (the server's own validator) and the per-role preview. Debounced; an answer
// to an older draft than the newest is dropped.
import { useEffect, useRef, useState } from 'preact/hooks';
import { groupProblems } from '../../studio/paths.js';

// `about`: the value the newest answer belongs to (e.g. the draft it checked).
export function useDebouncedAnswer(ask, deps, ms = 350, subject = null) {
  const [got, setGot] = useState({ answer: null, about: undefined });
  const [pending, setPending] = useState(true);
  const seq = useRef(0);
  useEffect(() => {
    const n = (seq.current += 1);
    setPending(true);
    const id = setTimeout(async () => {
      const answer = await ask();
      if (n !== seq.current) return;
      setGot({ answer, about: subject });
      setPending(false);
    }, ms);
    return () => clearTimeout(id);
  }, deps);
  return { answer: got.answer, about: got.about, pending };
}

// {problems: [{path, message}], grouped: Map, pending, checked: the draft the problems are of}
export function useValidation(api, deck) {
  const { answer, about, pending } = useDebouncedAnswer(() => (deck ? api.validate(deck) : Promise.resolve(null)), [deck], 350, deck);
  const problems = answer && answer.ok ? answer.problems || [] : [];
  const grouped = groupProblems(problems);
  return { problems, grouped, pending: pending || about !== deck, checked: about, error: answer && !answer.ok ? answer.error : null };
}
