// Every saved version of a deck, what changed between two of them (by
// field), and restoring one (a new version with its content).
import { useEffect, useState } from 'preact/hooks';
import { currentLanguage, t } from '../../i18n.js';
import { PathName } from './PathName.jsx';
import { ConfirmButton, ErrorText, Loading } from '../common.jsx';

export function when(ms) {
  if (!ms) return '–';
  return new Date(ms).toLocaleString(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short' });
}

// A value of the diff as text: lists of texts by line, a card or a step by
// its title and id, other blocks field by field.
function shown(value) {
  if (value === undefined || value === null) return '–';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map(shortly).join('\n');
  if (value.title || value.label) return `${value.title || value.label} (${value.id || value.key})`;
  return Object.entries(value)
    .map(([k, v]) => `${k}: ${shortly(v)}`)
    .join('\n');
}

function shortly(value) {
  if (value && typeof value === 'object' && !Array.isArray(value) && (value.title || value.label)) return shown(value);
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function Diff({ changes, lang }) {
  if (!changes.length) return <p data-testid="diff-none">{t('studio.diff_none')}</p>;
  return (
    <table class="sf-diff" data-testid="diff">
      <caption class="sr-only">{t('studio.diff_caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('studio.diff_field')}</th>
          <th scope="col">{t('studio.diff_kind')}</th>
          <th scope="col">{t('studio.diff_before')}</th>
          <th scope="col">{t('studio.diff_after')}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c, i) => (
          <tr key={i} class={`diff-${c.kind}`}>
            <th scope="row">
              <PathName path={c.path} />
            </th>
            <td>{t(`studio.diff_kinds.${c.kind}`, { defaultValue: c.kind })}</td>
            <td lang={lang}>{shown(c.before)}</td>
            <td lang={lang}>{shown(c.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Versions({ api, id, current, lang, builtin, onRestored }) {
  const [versions, setVersions] = useState(null);
  const [error, setError] = useState(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [diff, setDiff] = useState(null);
  const load = () =>
    api.versions(id).then((r) => {
      if (!r.ok) return setError(r.error);
      setVersions(r.versions);
      if (r.versions.length) {
        setTo(String(r.versions[0].version));
        setFrom(String((r.versions[1] || r.versions[0]).version));
      }
    });
  useEffect(() => {
    load();
  }, [id, current]);
  const compare = async (e) => {
    e.preventDefault();
    setDiff(null);
    const r = await api.diff(id, from, to);
    if (!r.ok) return setError(r.error);
    setError(null);
    setDiff(r);
  };
  const restore = async (n) => {
    const r = await api.restore(id, n);
    if (!r.ok) return setError(r.error);
    setError(null);
    onRestored(r);
  };
  if (!versions) return error ? <ErrorText error={error} /> : <Loading text={t('status.loading')} />;
  const options = versions.map((v) => (
    <option key={v.version} value={String(v.version)}>
      {t('studio.version_n', { n: v.version })} · {when(v.created_ms)}
    </option>
  ));
  return (
    <section class="sf-form" aria-labelledby="sf-versions-h" data-testid="versions">
      <h2 id="sf-versions-h">{t('studio.versions')}</h2>
      <p class="muted small">{t('studio.versions_hint')}</p>
      <ErrorText error={error} />
      <table class="sf-versions">
        <caption class="sr-only">{t('studio.versions')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('studio.version')}</th>
            <th scope="col">{t('studio.saved_at')}</th>
            <th scope="col">{t('studio.rooms')}</th>
            <th scope="col">
              <span class="sr-only">{t('studio.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version} data-testid={`version-${v.version}`}>
              <th scope="row">
                {t('studio.version_n', { n: v.version })}
                {v.version === current && <span class="badge">{t('studio.current')}</span>}
              </th>
              <td>{when(v.created_ms)}</td>
              <td>{v.rooms}</td>
              <td>
                {v.version !== current && !builtin && (
                  <ConfirmButton
                    label={t('studio.restore')}
                    question={t('studio.restore_q', { n: v.version })}
                    confirmLabel={t('studio.restore')}
                    class="btn btn-small"
                    testid={`restore-${v.version}`}
                    onConfirm={() => restore(v.version)}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {versions.length > 1 && (
        <form class="sf-row sf-compare" onSubmit={compare}>
          <div class="sf-field">
            <label for="diff-from">{t('studio.diff_from')}</label>
            <select id="diff-from" value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
              {options}
            </select>
          </div>
          <div class="sf-field">
            <label for="diff-to">{t('studio.diff_to')}</label>
            <select id="diff-to" value={to} onChange={(e) => setTo(e.currentTarget.value)}>
              {options}
            </select>
          </div>
          <button type="submit" class="btn" data-testid="diff-show">
            {t('studio.diff_show')}
          </button>
        </form>
      )}
      {diff && (
        <div aria-live="polite">
          <h3>{t('studio.diff_title', { from: diff.from, to: diff.to })}</h3>
          <Diff changes={diff.changes} lang={lang} />
        </div>
      )}
    </section>
  );
}
