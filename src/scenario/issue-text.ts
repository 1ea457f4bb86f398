/** Pieces of the one-paragraph config error messages, shared by the charge and the synthesis configs. */

/** A value as a message shows it: JSON, cut at 60 characters; "missing" for undefined. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/** The value at a key path of a parsed JSON input (undefined where the path leaves the objects). */
export function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
