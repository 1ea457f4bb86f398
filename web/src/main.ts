/**
 * chemofrac in the browser: two particles side by side on one SoC timeline, each computed by its own engine
 * worker (comlink), drawn with three.js (Li site fraction or stress as a colour map, damaged grain boundaries in
 * dark red), with a live damage / x_std plot and exports. The page itself is `App` (app.ts).
 *
 * Automation: the page reads a URL query (`?a=bare&b=mf-coated&grains=30&mesh=0.2&toSoc=0.6&run=1`; keys are the
 * panel field ids) and exposes `window.__chemofrac` (see debug-handle.ts) for tests and benchmarks.
 */
import './style.css';
import { App } from './app.js';
import { installDebugHandle } from './debug-handle.js';

const app = new App();
installDebugHandle(app);
if (app.applyQuery(new URLSearchParams(location.search))) void app.startRuns();
