/** CSV formatting shared by history.csv and the sweep tables. */

/** Format one value: integers as is, reals with 10 significant digits, NaN as empty, strings quoted if needed. */
export function csvValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '';
    return Number.isInteger(v) ? String(v) : Number(v.toPrecision(10)).toString();
  }
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvTable<T extends object>(columns: (keyof T)[], rows: T[]): string {
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvValue(r[c])).join(','));
  return lines.join('\n') + '\n';
}
