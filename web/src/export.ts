/** Downloads: PNG of the view (with titles and colour bar), CSV of a run's history, VTU of a step, config JSON. */
import {
  CYCLE_COLUMNS,
  CYCLING_HISTORY_COLUMNS,
  HISTORY_COLUMNS,
  csvTable,
  type CycleRecord,
  type StepRecord,
} from '../../src/index.js';

export function download(name: string, data: Blob | string, type = 'text/plain'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** history.csv exactly as the CLI writes it (same columns, same number formatting; cycling: cycle and leg too). */
export function historyCsv(history: StepRecord[], cycling = false): string {
  return csvTable(cycling ? CYCLING_HISTORY_COLUMNS : HISTORY_COLUMNS, history);
}

/** cycles.csv of a cycling run, as the CLI writes it (CYCLE_COLUMNS). */
export function cyclesCsv(rows: CycleRecord[]): string {
  return csvTable(CYCLE_COLUMNS, rows);
}

export function safeName(s: string): string {
  return s.replace(/[^a-z0-9._-]+/gi, '-').replace(/^-+|-+$/g, '') || 'run';
}
