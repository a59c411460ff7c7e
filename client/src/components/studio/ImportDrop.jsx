// Import a deck file (YAML or JSON) by the file picker or by dropping it
// here. The server reads and checks it (POST /api/studio/import); nothing is
// stored until the trainer saves it in the editor.
import { useState } from 'preact/hooks';
import { t } from '../../i18n.js';
import { PathName } from './PathName.jsx';
import { ErrorText } from '../common.jsx';

export function ImportDrop({ api, onImported }) {
  const [over, setOver] = useState(false);
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const read = async (file) => {
    if (!file) return;
    setBusy(true);
    const type = /\.json$/i.test(file.name) ? 'application/json' : 'application/yaml';
    const r = await api.importFile(await file.text(), type);
    setBusy(false);
    setResult(r);
    if (r.ok) onImported(r.deck);
  };
  const problems = result && !result.ok ? result.errors || [] : [];
  return (
    <section class="panel" aria-labelledby="sf-import-h" data-testid="studio-import">
      <h2 id="sf-import-h">{t('studio.import')}</h2>
      <div
        class={`sf-drop${over ? ' sf-drop-over' : ''}`}
        data-testid="studio-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          read(e.dataTransfer.files && e.dataTransfer.files[0]);
        }}
      >
        <p>{t('studio.import_hint')}</p>
        <label class="btn">
          {t('studio.import_pick')}
          <input
            type="file"
            class="sr-only"
            accept=".yaml,.yml,.json"
            disabled={busy}
            data-testid="studio-file"
            onChange={(e) => {
              read(e.currentTarget.files[0]);
              e.currentTarget.value = '';
            }}
          />
        </label>
      </div>
      {result && !result.ok && (
        <div data-testid="studio-errors">
          <ErrorText error={result.error} />
          {problems.length > 0 && (
            <ul>
              {problems.map((p, i) => (
                <li key={i}>
                  <PathName path={p.path} />: {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
