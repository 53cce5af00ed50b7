import { mount } from 'svelte';

// Anything the Content Security Policy blocks is recorded, so the end-to-end tests can prove
// the window runs with none (a blocked style or script would otherwise fail silently).
declare global {
  interface Window { __cspViolations: string[] }
}
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || 'inline'} ${e.sample}`);
});

import './app.css';
import App from './App.svelte';
import { applyStatusColours } from './lib/status';

applyStatusColours(document.documentElement);

const target = document.getElementById('app');
if (!target) throw new Error('the page has no #app element');
export default mount(App, { target });
