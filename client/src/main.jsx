import { render } from 'preact';
import { App } from './app.jsx';
import { initI18n } from './i18n.js';
import './styles.css';

initI18n();
render(<App />, document.getElementById('app'));
