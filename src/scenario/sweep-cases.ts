/**
 * The sweep file's cases without files or node modules: validation of an inline sweep, dotted-key overrides with
 * preset expansion, the sweep points and the case list (the format is described in src/sweep/spec.ts and
 * docs/sweeps.md). Here so that the browser app (web/, public API only) builds exactly the cases `chemofrac sweep`
 * builds, and writes the same tables; src/sweep/spec.ts adds the file reading and the sha256 of Node.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { DEFAULT_MATERIAL } from '../materials/presets.js';
import { caseIdentity } from './canonical-json.js';
import { ConfigError, POROSITY_PRESETS, resolveConfig, type ResolvedConfig } from './resolve.js';

/** A user error in a sweep file or sweep options: one paragraph naming the key, what was wrong and what is allowed. */
export class SweepError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'SweepError';
  }
}

const AxisValues = z.array(z.unknown()).min(1, { message: 'needs at least one value' });

export const SweepSpecSchema = z.strictObject({
  name: z.string().min(1).optional(),
  base: z.union([z.record(z.string(), z.unknown()), z.string().min(1)]).default({}),
  axes: z
    .strictObject({
      grid: z.record(z.string(), AxisValues).optional(),
      zip: z.record(z.string(), AxisValues).optional(),
    })
    .default({}),
  replicates: z
    .strictObject({
      count: z.int().min(1, { message: 'must be an integer ≥ 1' }),
      seed_start: z.int().default(1),
    })
    .optional(),
});

export type SweepSpecInput = z.input<typeof SweepSpecSchema>;

/** A parsed sweep with its base config loaded (a path is read here, so the spec is self-contained afterwards). */
export interface SweepSpec {
  name: string;
  base: Record<string, unknown>;
  grid: [string, unknown[]][];
  zip: [string, unknown[]][];
  replicates: { count: number; seed_start: number } | null;
}

export interface SweepCase {
  /** Position in the full (unsharded) case list. */
  index: number;
  /** Sweep point (one combination of axis values) and replicate number within it. */
  point: number;
  replicate: number;
  /** Microstructure seed of the resolved config. */
  seed: number;
  /** Axis key → value of this case, in axis order (grid keys, then zip keys). */
  values: Record<string, unknown>;
  config: ResolvedConfig;
  hash: string;
  /** Run directory relative to the sweep output directory. */
  runDir: string;
}

/** The validated JSON of a sweep file (base still a config object or a path). */
export type SweepSpecData = z.output<typeof SweepSpecSchema>;

/** Check a sweep file's JSON against the schema (axis keys first, on the raw JSON); a SweepError names the key. */
export function validateSweepInput(input: unknown): SweepSpecData {
  // Axis keys are checked on the raw JSON: a record parser would turn an own "__proto__" key into a prototype
  // assignment and drop it silently.
  if (isPlainObject(input) && isPlainObject(input.axes))
    for (const kind of ['grid', 'zip'] as const) {
      const axes = input.axes[kind];
      if (isPlainObject(axes)) for (const key of Object.keys(axes)) checkKeySyntax(key);
    }
  const r = SweepSpecSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const key = issue.path.map(String).join('.');
    const extra = issue.code === 'unrecognized_keys' ? ` ${issue.keys.map((k) => `"${k}"`).join(', ')}` : '';
    throw new SweepError(
      `Invalid sweep file: ${key || '(top level)'}: ${issue.message}${extra}. ` +
        'Allowed: { "name"?, "base": config or path, "axes": { "grid"?: { key: [values] }, "zip"?: { key: [values] } }, ' +
        '"replicates"?: { "count", "seed_start"? } } (see docs/sweeps.md).',
    );
  }
  return r.data;
}

/** The sweep of validated JSON with its base config (loaded already when the file gave a path). */
export function sweepSpecOf(s: SweepSpecData, base: Record<string, unknown>): SweepSpec {
  const grid = Object.entries(s.axes.grid ?? {});
  const zip = Object.entries(s.axes.zip ?? {});
  for (const [key] of [...grid, ...zip]) checkKeySyntax(key);
  for (const [key] of zip)
    if (grid.some(([g]) => g === key))
      throw new SweepError(`Sweep axis "${key}" appears in both axes.grid and axes.zip; give it once.`);
  if (zip.length) {
    const n = zip[0][1].length;
    const bad = zip.find(([, v]) => v.length !== n);
    if (bad)
      throw new SweepError(
        `Sweep axes.zip: "${bad[0]}" has ${bad[1].length} values but "${zip[0][0]}" has ${n}; zipped axes must have the same length.`,
      );
  }
  const replicates = s.replicates ? { count: s.replicates.count, seed_start: s.replicates.seed_start } : null;
  if (replicates && [...grid, ...zip].some(([k]) => k === 'microstructure.seed' || k === 'microstructure'))
    throw new SweepError(
      'Sweep: "replicates" sets microstructure.seed, so it cannot also be an axis; drop the axis or the replicates block.',
    );
  return { name: s.name ?? (typeof base.name === 'string' ? base.name : 'sweep'), base, grid, zip, replicates };
}

/** A sweep given inline (its base a config object, not a path: nothing is read from files). */
export function parseInlineSweepSpec(input: unknown): SweepSpec {
  const s = validateSweepInput(input);
  if (typeof s.base === 'string')
    throw new SweepError(
      `Sweep base: got the path "${s.base}"; here the base must be a config object (no files are read).`,
    );
  return sweepSpecOf(s, s.base);
}

/** Names that would reach Object.prototype through a dotted path; never config keys. */
const FORBIDDEN_KEY_PARTS = new Set(['__proto__', 'constructor', 'prototype']);

function checkKeySyntax(key: string): void {
  const bad = key.split('.').find((part) => FORBIDDEN_KEY_PARTS.has(part));
  if (bad !== undefined)
    throw new SweepError(
      `Sweep axis key "${key}" contains "${bad}", which is not a config key (__proto__, constructor and prototype are refused).`,
    );
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(key))
    throw new SweepError(
      `Sweep axis key "${key}" is not a dotted config key (like "coating.thickness_um" or "material.gb.strength_MPa").`,
    );
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where a preset name stands and a sweep sets a key below it, the object form it expands to. Keyed by the dotted
 * path of the string value; the default applies when the key is absent.
 */
const PRESET_EXPANSIONS: Record<string, { expand: (name: string) => unknown; fallback: string | null }> = {
  material: { expand: (name) => ({ preset: name }), fallback: DEFAULT_MATERIAL },
  'coating.material': { expand: (name) => ({ preset: name }), fallback: 'mf-coating' },
  porosity: {
    expand: (name) =>
      name in POROSITY_PRESETS ? { ...POROSITY_PRESETS[name as keyof typeof POROSITY_PRESETS] } : name,
    fallback: null,
  },
};

/**
 * Set a dotted key in a config (returns a new object; the input is not modified). Missing intermediate objects
 * are created; preset names on the way are expanded to their override form; `null` deletes the key.
 */
export function setConfigKey(config: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  return setConfigKeyInPlace(structuredClone(config), key, value);
}

function setConfigKeyInPlace(root: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const parts = key.split('.');
  let node: Record<string, unknown> = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i];
    const path = parts.slice(0, i + 1).join('.');
    let child = Object.hasOwn(node, part) ? node[part] : undefined;
    const expansion = PRESET_EXPANSIONS[path];
    if (child === undefined && expansion?.fallback) child = expansion.fallback;
    if (typeof child === 'string' && expansion) child = expansion.expand(child);
    if (child === undefined || child === null) child = {};
    if (!isPlainObject(child))
      throw new SweepError(
        `Sweep axis "${key}": the config value at "${path}" is ${JSON.stringify(child)}, not an object, so "${key}" cannot be set.`,
      );
    node[part] = child;
    node = child;
  }
  const last = parts[parts.length - 1];
  if (value === null) delete node[last];
  else node[last] = structuredClone(value);
  return root;
}

/** The sweep points: axis key → value, grid product (first key slowest) × zip rows (fastest). */
export function sweepPoints(spec: SweepSpec): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [key, values] of spec.grid) points = points.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  if (spec.zip.length) {
    const rows = spec.zip[0][1].map((_, i) => Object.fromEntries(spec.zip.map(([k, vs]) => [k, vs[i]])));
    points = points.flatMap((p) => rows.map((r) => ({ ...p, ...r })));
  }
  return points;
}

function describeValue(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/**
 * Rephrase a config error of one case so that it names the sweep axis responsible: the axis whose key is, contains
 * or lies inside a key the resolver complained about (e.g. an unknown key is exactly the axis key).
 */
function caseConfigError(e: unknown, index: number, values: Record<string, unknown>, seed: number | null): never {
  if (e instanceof SweepError) throw e;
  if (!(e instanceof ConfigError)) throw e;
  const detail = e.message.replace(/^Invalid config: /, '');
  const related = (axis: string, issue: string) =>
    issue === axis || issue.startsWith(axis + '.') || axis.startsWith(issue + '.');
  const blamed = Object.keys(values).filter((k) => e.issues.some((i) => related(k, i.key)));
  const where = Object.entries(values)
    .map(([k, v]) => `${k}=${describeValue(v)}`)
    .concat(seed !== null ? [`seed ${seed}`] : [])
    .join(', ');
  if (blamed.length)
    throw new SweepError(
      `Sweep axis ${blamed.map((k) => `"${k}" value ${describeValue(values[k])}`).join(' and ')} (case ${index}: ${where}): ${detail}`,
    );
  throw new SweepError(`Sweep case ${index} (${where || 'the base config'}): ${detail}`);
}

/** Default largest number of cases a sweep may expand to (`--max-cases` raises it). */
export const DEFAULT_MAX_CASES = 10_000;

/** Number of cases of a sweep, from the axis lengths alone (nothing expanded). */
export function caseCount(spec: SweepSpec): number {
  const grid = spec.grid.reduce((n, [, values]) => n * values.length, 1);
  const zip = spec.zip.length ? spec.zip[0][1].length : 1;
  return grid * zip * (spec.replicates ? spec.replicates.count : 1);
}

/** Refuse a sweep larger than `max` cases before expanding any of it. */
export function checkCaseCount(spec: SweepSpec, max = DEFAULT_MAX_CASES): void {
  const n = caseCount(spec);
  if (n > max) {
    const parts = [
      ...spec.grid.map(([k, v]) => `${v.length} values of "${k}"`),
      ...(spec.zip.length ? [`${spec.zip[0][1].length} zip rows`] : []),
      ...(spec.replicates ? [`replicates.count ${spec.replicates.count}`] : []),
    ];
    throw new SweepError(
      `Sweep: ${n} cases (${parts.join(' × ')}) is more than the limit of ${max} cases per sweep file. ` +
        'Split it into several sweep files, or raise the limit with --max-cases N (building the case list takes ' +
        'about 0.15 ms and 15 kB per case).',
    );
  }
}

/** The base config, checked once (its errors are named as the base's, not as a case's). */
export function checkBase(spec: SweepSpec): void {
  try {
    resolveConfig(spec.base);
  } catch (e) {
    if (e instanceof ConfigError)
      throw new SweepError(`Sweep base config: ${e.message.replace(/^Invalid config: /, '')}`);
    throw e;
  }
}

/** A case's run directory, relative to the sweep output directory. */
export function caseRunDir(index: number, hash: string): string {
  return `runs/${String(index).padStart(4, '0')}-${hash.slice(0, 10)}`;
}

export function* generateCases(spec: SweepSpec, hashOf: (identity: string) => string): Generator<SweepCase> {
  const points = sweepPoints(spec);
  const reps = spec.replicates ? spec.replicates.count : 1;
  const seen = new Map<string, number>();
  let index = 0;
  for (let point = 0; point < points.length; point++) {
    const values = points[point];
    for (let r = 0; r < reps; r++, index++) {
      const seed = spec.replicates ? spec.replicates.seed_start + r : null;
      let config: ResolvedConfig;
      try {
        const cfg = structuredClone(spec.base);
        for (const [k, v] of Object.entries(values)) setConfigKeyInPlace(cfg, k, v);
        if (seed !== null) setConfigKeyInPlace(cfg, 'microstructure.seed', seed);
        cfg.name = `${spec.name}#${String(index).padStart(4, '0')}`;
        config = resolveConfig(cfg);
      } catch (e) {
        caseConfigError(e, index, values, seed);
      }
      const hash = hashOf(caseIdentity(config));
      const dup = seen.get(hash);
      if (dup !== undefined)
        throw new SweepError(
          `Sweep cases ${dup} and ${index} resolve to the same config (an axis value repeats, or an axis sets what another ` +
            'overrides); every case must be distinct.',
        );
      seen.set(hash, index);
      yield {
        index,
        point,
        replicate: r,
        seed: config.microstructure.seed,
        values,
        config,
        hash,
        runDir: caseRunDir(index, hash),
      };
    }
  }
}

/** sha256 (hex) of a text with the platform's Web Crypto (browsers, Node ≥ 20): the same value as Node's createHash. */
async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Every case of an inline sweep with its real hash (sha256 of `caseIdentity`, as `caseHash` in Node) and run
 * directory, asynchronously (Web Crypto): the case list `chemofrac sweep` builds for the same sweep, in a browser.
 */
export async function expandCasesAsyncHash(spec: SweepSpec, maxCases = DEFAULT_MAX_CASES): Promise<SweepCase[]> {
  checkCaseCount(spec, maxCases);
  checkBase(spec);
  const cases = [...generateCases(spec, (identity) => identity)];
  for (const c of cases) {
    c.hash = await sha256Hex(c.hash);
    c.runDir = caseRunDir(c.index, c.hash);
  }
  return cases;
}

/** Axis keys in column order. */
export function axisKeys(spec: SweepSpec): string[] {
  return [...spec.grid.map(([k]) => k), ...spec.zip.map(([k]) => k)];
}
