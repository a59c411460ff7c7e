import { useRef } from 'preact/hooks';

// Tabs after the WAI-ARIA pattern: one tab stop, arrow keys, Home and End
// move between tabs and select them (automatic activation).
export function TabList({ tabs, selected, onSelect, label, idPrefix, class: cls = '' }) {
  const refs = useRef([]);
  const go = (i) => {
    const n = tabs.length;
    const k = ((i % n) + n) % n;
    onSelect(tabs[k].id);
    const el = refs.current[k];
    if (el) el.focus();
  };
  const onKeyDown = (e, i) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(tabs.length - 1);
    else return;
    e.preventDefault();
  };
  return (
    <div class={`tabs ${cls}`} role="tablist" aria-label={label}>
      {tabs.map((tab, i) => {
        const on = tab.id === selected;
        return (
          <button
            type="button"
            role="tab"
            key={tab.id}
            id={`${idPrefix}-tab-${tab.id}`}
            aria-selected={on ? 'true' : 'false'}
            aria-controls={`${idPrefix}-panel`}
            tabIndex={on ? 0 : -1}
            class="tab"
            ref={(el) => (refs.current[i] = el)}
            onClick={() => onSelect(tab.id)}
            onKeyDown={(e) => onKeyDown(e, i)}
            data-testid={tab.testid}
          >
            {tab.label}
            {tab.sub && <span class="tab-sub">{tab.sub}</span>}
          </button>
        );
      })}
    </div>
  );
}

export function TabPanel({ idPrefix, selected, children, class: cls = '' }) {
  return (
    <div class={`tab-panel ${cls}`} role="tabpanel" id={`${idPrefix}-panel`} aria-labelledby={`${idPrefix}-tab-${selected}`}>
      {children}
    </div>
  );
}
