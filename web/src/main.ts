/**
 * chemofrac in the browser: up to four particles side by side on one timeline, each computed by its own engine
 * worker, drawn with three.js (Li site fraction or stress as a colour map, damaged grain boundaries in dark red),
 * with a live damage / x_std plot and exports. The page itself is `App` (app.ts).
 *
 * The URL holds the page's state (url-state.ts: `?A=bare&B=mf-coated&A.grains=30&run=1`); the address bar
 * follows every change, so a link reproduces the view. `window.__chemofrac` (debug-handle.ts) serves tests and
 * benchmarks.
 */
import './style.css';
import { App, DEFAULT_VARIANTS } from './app.js';
import { installDebugHandle } from './debug-handle.js';
import { parseQuery } from './url-state.js';

const query = parseQuery(new URLSearchParams(location.search));
const variants = DEFAULT_VARIANTS.map((v, i) => query.slots[i]?.variant ?? v);
const app = new App(variants);
installDebugHandle(app);
const run = app.applyQuery({ ...query, slots: query.slots.map((s) => (s ? { variant: null, values: s.values } : s)) });
let shown = location.search;
app.onDrawn = () => {
  const q = app.toQuery();
  if (q !== shown) {
    shown = q;
    history.replaceState(null, '', q || location.pathname);
  }
};
if (run) void app.startRuns();
