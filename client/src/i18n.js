// Dutch and English. The language follows the browser until someone picks
// one; the pick is remembered. <html lang> always follows.
import i18next from 'i18next';
import { useEffect, useState } from 'preact/hooks';
import en from './locales/en.json';
import nl from './locales/nl.json';
import { getItem, setItem } from './storage.js';

const KEY = 'calmroom.lang';
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'nl', name: 'Nederlands' },
];

export function detectLanguage() {
  const stored = getItem(KEY);
  if (stored && LANGUAGES.some((l) => l.code === stored)) return stored;
  const wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  for (const tag of wanted) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.some((l) => l.code === base)) return base;
  }
  return 'en';
}

export function initI18n() {
  i18next.init({
    resources: { en: { translation: en }, nl: { translation: nl } },
    lng: detectLanguage(),
    fallbackLng: 'en',
    initAsync: false,
    interpolation: { escapeValue: false }, // Preact escapes every text it renders
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
  // a pick in one tab reaches the other tabs of this browser (the projector
  // window too): localStorage tells them through a `storage` event
  window.addEventListener('storage', (e) => {
    if (e.key !== KEY || !e.newValue || e.newValue === i18next.language) return;
    if (!LANGUAGES.some((l) => l.code === e.newValue)) return;
    i18next.changeLanguage(e.newValue);
    document.documentElement.lang = e.newValue;
  });
}

// A part of the page drawn in another language than the rest (the studio's
// previews, in the deck's language): <InLanguage lang="nl" /> … <EndLanguage />
// around it. Preact renders siblings in order and depth first, so what lies
// between the two marks, stateless components, is drawn in `lang`.
let scoped = null;
export function InLanguage({ lang }) {
  scoped = LANGUAGES.some((l) => l.code === lang) ? lang : null;
  return null;
}
export function EndLanguage() {
  scoped = null;
  return null;
}

export function t(key, options) {
  return i18next.t(key, scoped ? { ...options, lng: scoped } : options);
}

export function currentLanguage() {
  return i18next.language;
}

export function setLanguage(code) {
  setItem(KEY, code);
  i18next.changeLanguage(code);
  document.documentElement.lang = code;
}

export function useLanguage() {
  const [lang, setLang] = useState(i18next.language);
  useEffect(() => {
    const onChange = (l) => setLang(l);
    i18next.on('languageChanged', onChange);
    return () => i18next.off('languageChanged', onChange);
  }, []);
  return lang;
}
