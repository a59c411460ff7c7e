// Answers from the server that follow the draft as it is typed: validation
// (the server's own validator) and the per-role preview. Debounced; an answer
// to an older draft than the newest is dropped.
import { useEffect, useRef, useState } from 'preact/hooks';
import { groupProblems } from '../../studio/paths.js';

export function useDebouncedAnswer(ask, deps, ms = 350) {
  const [answer, setAnswer] = useState(null);
  const [pending, setPending] = useState(true);
  const seq = useRef(0);
  useEffect(() => {
    const n = (seq.current += 1);
    setPending(true);
    const id = setTimeout(async () => {
      const r = await ask();
      if (n !== seq.current) return;
      setAnswer(r);
      setPending(false);
    }, ms);
    return () => clearTimeout(id);
  }, deps);
  return { answer, pending };
}

// {problems: [{path, message}], grouped: Map, pending, error}
export function useValidation(api, deck) {
  const { answer, pending } = useDebouncedAnswer(() => (deck ? api.validate(deck) : Promise.resolve(null)), [deck]);
  const problems = answer && answer.ok ? answer.problems || [] : [];
  const grouped = groupProblems(problems);
  return { problems, grouped, pending, error: answer && !answer.ok ? answer.error : null, summary: answer && answer.summary };
}
