/** Canonical JSON: the same value always gives the same text (config identity, comparisons). */
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON with object keys sorted at every level (undefined dropped): equal configs give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (isPlainObject(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = v[k];
      return sorted;
    }
    return v;
  });
}

/**
 * The identity of a run's config: the canonical JSON of the resolved config without its name and the checkpoint
 * write interval (neither changes a result). `caseHash` (src/io/config-hash.ts) is its sha256.
 */
export function caseIdentity(config: {
  name?: unknown;
  output: { checkpoint_min_interval_s?: unknown } & Record<string, unknown>;
}): string {
  const { name: _name, output, ...rest } = config;
  const { checkpoint_min_interval_s: _interval, ...outputRest } = output;
  return canonicalJson({ ...rest, output: outputRest });
}
