// i18next as the app sets it up, without a browser (no navigator, no document).
import i18next from 'i18next';
import en from '../src/locales/en.json';
import nl from '../src/locales/nl.json';

i18next.init({
  resources: { en: { translation: en }, nl: { translation: nl } },
  lng: 'en',
  fallbackLng: 'en',
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});
