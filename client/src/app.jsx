import { useEffect } from 'preact/hooks';
import { usePath } from './hooks.js';
import { t, useLanguage } from './i18n.js';
import { isCode, normaliseCode } from './util.js';
import { Header } from './components/common.jsx';
import { ConsolePage } from './components/Console.jsx';
import { Dashboard } from './components/Dashboard.jsx';
import { Landing } from './components/Landing.jsx';
import { ParticipantPage } from './components/Participant.jsx';
import { ReportPage } from './components/Report.jsx';
import { StudioPage } from './components/Studio.jsx';
import { SummaryPage } from './components/Summary.jsx';

function route(path) {
  let m = /^\/join\/([^/]+)\/?$/.exec(path);
  if (m) return { page: 'join', code: normaliseCode(decodeURIComponent(m[1])) };
  m = /^\/host\/([^/]+)\/?$/.exec(path);
  if (m) return { page: 'host', code: normaliseCode(decodeURIComponent(m[1])) };
  m = /^\/report\/([^/]+)\/?$/.exec(path);
  if (m) return { page: 'report', code: normaliseCode(decodeURIComponent(m[1])) };
  m = /^\/me\/([^/]+)\/?$/.exec(path);
  if (m) return { page: 'me', code: normaliseCode(decodeURIComponent(m[1])) };
  if (/^\/host\/?$/.test(path)) return { page: 'dashboard' };
  if (/^\/studio\/?$/.test(path)) return { page: 'studio' };
  m = /^\/studio\/deck\/([a-z0-9-]{1,60})\/?$/.exec(path);
  if (m) return { page: 'studio', deck: m[1] };
  if (path === '/' || path === '') return { page: 'landing' };
  return { page: 'missing' };
}

function Missing() {
  return (
    <>
      <Header />
      <main id="main" class="page">
        <section class="panel">
          <h1>{t('end.missing_title')}</h1>
          <p>
            <a class="btn btn-primary" href="/">
              {t('end.home')}
            </a>
          </p>
        </section>
      </main>
    </>
  );
}

export function App() {
  const path = usePath();
  const lang = useLanguage();
  const r = route(path);
  useEffect(() => {
    document.title = r.code ? `${r.code} · Calmroom` : 'Calmroom';
  }, [path]);
  let page;
  if (r.page === 'join' && isCode(r.code)) {
    const name = history.state && history.state.name;
    page = <ParticipantPage key={`join-${r.code}`} code={r.code} initialName={name} />;
  } else if (r.page === 'host' && isCode(r.code)) page = <ConsolePage key={`host-${r.code}`} code={r.code} />;
  else if (r.page === 'report' && isCode(r.code)) {
    // the printable report: no header, no skip link, nothing but the report
    return (
      <div class="app app-report" data-lang={lang}>
        <ReportPage key={`report-${r.code}`} code={r.code} />
      </div>
    );
  } else if (r.page === 'me' && isCode(r.code)) page = <SummaryPage key={`me-${r.code}`} code={r.code} />;
  else if (r.page === 'dashboard') page = <Dashboard />;
  else if (r.page === 'studio') page = <StudioPage deckId={r.deck} />;
  else if (r.page === 'landing') page = <Landing />;
  else page = <Missing />;
  return (
    <div class="app" data-lang={lang}>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      {page}
    </div>
  );
}
