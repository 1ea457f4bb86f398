/**
 * Moved to src/io/progress.ts (the CLI and the sweeps both report progress; io is the layer both may import).
 * Kept only for src/cli/run.ts, which is being edited elsewhere: import from '../io/progress.js' and delete this.
 */
export { createProgress, printable, type Progress } from '../io/progress.js';
