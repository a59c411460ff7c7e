import { useEffect, useRef, useState } from 'preact/hooks';
import { getRoom } from '../api.js';
import { navigate } from '../hooks.js';
import { t } from '../i18n.js';
import { isCode, normaliseCode } from '../util.js';
import { errorText } from './common.jsx';

// A room code and a name: on the start page, and where a code turned out
// wrong. The code is checked before the join page opens, so a wrong code
// stays here, marked and editable, with the name as it was typed.
export function CodeJoinForm({ initialCode = '', initialName = '', initialError = null, submitLabel }) {
  const [code, setCode] = useState(initialCode);
  const [name, setName] = useState(initialName);
  const [problem, setProblem] = useState(initialError); // {field: 'code'|'name'|null, text}
  const [busy, setBusy] = useState(false);
  const codeRef = useRef(null);
  const nameRef = useRef(null);
  useEffect(() => {
    if (initialError && initialError.field === 'code' && codeRef.current) codeRef.current.focus();
  }, []);
  const fail = (field, text) => {
    setProblem({ field, text });
    const el = field === 'code' ? codeRef.current : field === 'name' ? nameRef.current : null;
    if (el) el.focus();
  };
  const submit = async (e) => {
    e.preventDefault();
    const c = normaliseCode(code);
    if (!isCode(c)) return fail('code', t('landing.code_invalid'));
    if (!name.trim()) return fail('name', t('join.name_missing'));
    setProblem(null);
    setBusy(true);
    const room = await getRoom(c);
    setBusy(false);
    if (!room.ok && room.error.code === 'not_found') return fail('code', t('landing.code_unknown', { code: c }));
    if (room.ok && room.phase === 'closed') return fail('code', t('landing.code_closed', { code: c }));
    if (!room.ok) return fail(null, errorText(room.error));
    navigate(`/join/${c}`, { state: { name: name.trim() } });
  };
  const marked = (field) => (problem && problem.field === field ? { 'aria-invalid': 'true', 'aria-describedby': 'code-join-error' } : {});
  return (
    <form onSubmit={submit} class="stack" noValidate data-testid="code-join">
      <label class="field">
        <span>{t('landing.code')}</span>
        <input
          name="code"
          class="code-input"
          ref={codeRef}
          value={code}
          onInput={(e) => setCode(e.currentTarget.value.toUpperCase())}
          maxLength={8}
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          inputMode="text"
          {...marked('code')}
        />
      </label>
      <label class="field">
        <span>{t('join.name')}</span>
        <input
          name="name"
          ref={nameRef}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          maxLength={40}
          autocomplete="nickname"
          {...marked('name')}
        />
      </label>
      {problem && (
        <p class="error" role="alert" id="code-join-error" data-testid="code-join-error">
          {problem.text}
        </p>
      )}
      <button type="submit" class="btn btn-primary btn-big" disabled={busy}>
        {submitLabel || t('join.submit')}
      </button>
    </form>
  );
}
