/**
 * The exact bits of a result, to compare runs across JavaScript engines (test/e2e/browser.test.ts: the browser and
 * Node give the same mesh and history, bit for bit). Every number is written as the 16 hex digits of its IEEE-754
 * double (big-endian), so −0, NaN and the last bit all count; JSON text or toBeCloseTo would hide them.
 */
import type { CycleRecord, Scenario, StepRecord } from '../../src/index.js';

/** The 16 hex digits of each double of `values`, concatenated. */
export function float64Hex(values: ArrayLike<number>): string {
  const view = new DataView(new ArrayBuffer(8));
  let out = '';
  for (let i = 0; i < values.length; i++) {
    view.setFloat64(0, values[i]);
    out += view.getUint32(0).toString(16).padStart(8, '0') + view.getUint32(4).toString(16).padStart(8, '0');
  }
  return out;
}

/**
 * Every number in `value` (plain objects in key order, arrays, typed arrays) as `path → hex`, and every string or
 * boolean as `path → text`; functions and undefined are skipped. Paths name what differs when two engines disagree.
 */
export function valueBits(value: unknown, path = '', out: Record<string, string> = {}): Record<string, string> {
  if (typeof value === 'number') out[path] = float64Hex([value]);
  else if (typeof value === 'string' || typeof value === 'boolean') out[path] = String(value);
  else if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    out[path] = float64Hex(Array.from(value as unknown as ArrayLike<number | bigint>, Number));
  else if (Array.isArray(value)) value.forEach((v, i) => valueBits(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object')
    for (const key of Object.keys(value).sort())
      valueBits((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, out);
  return out;
}

/** The bits of a run (library-worker.ts answers with them; a Node run of the same config must give the same). */
export interface LibraryRunBits {
  /** The mesh (its wall time left out). */
  mesh: Record<string, string>;
  /** The kernel setup (oriented materials, boundary conditions …). */
  setup: Record<string, string>;
  /** One string per step record (history[0] included): `key=bits` of its fields, comma-separated. */
  rows: string[];
  /** The cycle rows (cycling). */
  cycles: Record<string, string>;
}

/** The bits of a simulation's mesh and setup and of the given step records. */
export function runBits(sim: { scenario: Scenario; cycles: CycleRecord[] }, history: StepRecord[]): LibraryRunBits {
  const mesh = valueBits(sim.scenario.mesh);
  delete mesh['stats.buildTime_ms']; // the mesher's wall time is the one field that is not a result
  return {
    mesh,
    setup: valueBits(sim.scenario.setup),
    rows: history.map((r) =>
      Object.entries(valueBits(r))
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    ),
    cycles: valueBits(sim.cycles),
  };
}
