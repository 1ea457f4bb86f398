/**
 * The synthesis (calcination) config (docs/synthesis.md): a JSON file with the existing `geometry` and
 * `microstructure` sections (the same polycrystal mesh a charge runs on) and a `synthesis` section. Every quantity
 * carries its unit in its key; unknown keys are errors (strict objects). Rates are Arrhenius,
 * k(T) = k_ref · exp(−Ea/R · (1/T − 1/T_ref)), given by their value at `reference_temperature_C` and their
 * activation energy.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { GeometrySchema, MicrostructureSchema, MICROSTRUCTURE_DEFAULTS } from '../scenario/config-schema.js';
import { describeValue, valueAt } from '../scenario/issue-text.js';
import { SYNTHESIS_PRESETS, SYNTHESIS_PRESET_NAMES } from './presets.js';

const finite = () => z.number().refine(Number.isFinite, { message: 'must be a finite number (not NaN or Infinity)' });
const positive = () => finite().refine((v) => v > 0, { message: 'must be > 0' });
const nonNegative = () => finite().refine((v) => v >= 0, { message: 'must be ≥ 0 (a rate cannot be negative)' });
const fraction = () => finite().refine((v) => v >= 0 && v <= 1, { message: 'must be in [0, 1]' });
const celsius = () => finite().refine((v) => v > -273.15 && v <= 2000, { message: 'must be in (−273.15, 2000] °C' });

/** A user-fixable problem in a synthesis config or a synthesized microstructure: names the key. */
export class SynthesisConfigError extends InputError {
  readonly issues: { key: string; message: string }[];
  constructor(issues: { key: string; message: string }[]) {
    super(
      'Invalid synthesis config: ' +
        issues.map((i) => (i.key ? `${i.key}: ${i.message}` : i.message)).join('; ') +
        '. See docs/synthesis.md for every key, its unit and its allowed values.',
    );
    this.name = 'SynthesisConfigError';
    this.issues = issues;
  }
}

export const RampSchema = z.strictObject({
  ramp_C_per_min: positive().describe('Heating (or cooling) rate |dT/dt| (°C/min), > 0.'),
  to_C: celsius().describe('Temperature at the end of the ramp (°C); must differ from the temperature before it.'),
});
export const HoldSchema = z.strictObject({
  hold_min: positive().describe('Isothermal hold at the current temperature (min), > 0.'),
});

export const TemperatureProgramSchema = z.strictObject({
  start_C: celsius().default(25).describe('Temperature at t = 0 (°C).'),
  steps: z
    .array(z.union([RampSchema, HoldSchema]))
    .min(1, { message: 'the temperature program needs at least one ramp or hold' })
    .describe(
      'Ramps { "ramp_C_per_min", "to_C" } and holds { "hold_min" }, in order. The run ends with the last step (a quench: the state is frozen).',
    ),
});

export const LiSourceSchema = z.strictObject({
  concentration: positive()
    .default(1)
    .describe('Li concentration of the molten source at the surface, c_s (the unit of c; 1 = normalised).'),
  surface_exchange_um_per_s: nonNegative()
    .default(0.05)
    .describe('Surface exchange coefficient h at reference_temperature_C (µm/s): inward flux h (c_s − c).'),
  Ea_surface_kJ_mol: nonNegative().default(40).describe('Activation energy of the surface exchange (kJ/mol).'),
});

export const PrecursorSchema = z.strictObject({
  composition: z
    .enum(['NCM90', 'NCM622'])
    .default('NCM90')
    .describe('Precursor hydroxide label (kept in the outputs; the rates are those given under rates).'),
  li_capacity: positive()
    .default(5)
    .describe(
      'β: Li bound per unit lithiated fraction, in units of c_s (layered-oxide Li sites / source concentration), > 0.',
    ),
  void_per_decomposed: fraction()
    .default(0.3)
    .describe('Void area fraction created per unit of precursor decomposed into rock salt (shrinkage), in [0, 1].'),
});

export const CoatingSynthesisSchema = z.strictObject({
  kind: z.literal('WO3-ALD').describe('"WO3-ALD": conformal WO3 by atomic layer deposition on the precursor.'),
  ald_cycles: z.int().min(0).max(1000).describe('Number of ALD cycles N, integer 0–1000.'),
});

export const RatesSchema = z.strictObject({
  reference_temperature_C: celsius().default(300).describe('T_ref (°C) at which every rate below is given.'),
  D_bulk_um2_per_s: nonNegative().default(1e-4).describe('Li diffusivity in the grains at T_ref (µm²/s).'),
  Ea_bulk_kJ_mol: nonNegative().default(55).describe('Activation energy of bulk diffusion (kJ/mol).'),
  D_GB_delta_um3_per_s: nonNegative()
    .default(0.005)
    .describe('Grain-boundary transport D_GB · δ_GB of an open boundary at T_ref (µm³/s).'),
  Ea_GB_kJ_mol: nonNegative().default(30).describe('Activation energy of grain-boundary transport (kJ/mol).'),
  k_L_per_s: nonNegative()
    .default(0.01)
    .describe('Lithiation rate constant k_L at T_ref (1/s per unit c): dX_L/dt = k_L c (1 − X_L − X_RS).'),
  Ea_L_kJ_mol: nonNegative().default(80).describe('Activation energy of lithiation (kJ/mol).'),
  k_D_per_s: nonNegative()
    .default(1e-3)
    .describe('Decomposition rate constant k_D at T_ref (1/s): dX_RS/dt = k_D (1 − X_L − X_RS).'),
  Ea_D_kJ_mol: nonNegative().default(150).describe('Activation energy of the decomposition (kJ/mol).'),
  rock_salt_lithiation_ratio: nonNegative()
    .default(0.001)
    .describe('k_RS / k_L: rock salt lithiates to layered oxide at k_RS c X_RS, ≥ 0 (0 = never).'),
  k_c_per_s: nonNegative()
    .default(1e-3)
    .describe('Boundary closure (coarsening) rate k_c at T_ref (1/s), for two fully lithiated sides.'),
  Ea_c_kJ_mol: nonNegative().default(100).describe('Activation energy of coarsening (kJ/mol).'),
  transverse_conductance_factor: positive()
    .default(1000)
    .describe('Li conductance across a boundary, × D_bulk / mesh_size (dimensionless), > 0: an intact contact.'),
});

export const PinningSchema = z.strictObject({
  min_factor: fraction()
    .default(0.05)
    .describe('Smallest k_c multiplier that LixWOy reaches with many ALD cycles, in [0, 1].'),
  saturation_cycles: positive()
    .default(10)
    .describe('ALD cycles N_sat: pinning factor 1 − (1 − min_factor)(1 − exp(−N/N_sat)).'),
  depth_um: positive()
    .default(2)
    .describe('Depth ℓ_W below the surface over which the W sits: weight exp(−(R − r)/ℓ_W) (µm).'),
  blocking_cycles: positive()
    .default(100)
    .describe('ALD cycles N_block: the WO3 layer scales the surface exchange by exp(−N/N_block).'),
});

export const SynthesisSolverSchema = z.strictObject({
  max_dt_s: positive().default(30).describe('Largest time step (s), > 0.'),
  initial_dt_s: positive().default(1).describe('First time step (s), > 0.'),
  max_temperature_step_C: positive().default(2).describe('Largest temperature change in one step (°C), > 0.'),
  target_increment: positive()
    .refine((v) => v <= 0.5, { message: 'must be ≤ 0.5' })
    .default(0.05)
    .describe('Largest change of X_L, X_RS or a boundary opening per step the step size aims at, in (0, 0.5].'),
});

export const SynthesisOutputSchema = z.strictObject({
  vtu: z.boolean().default(true).describe('Write fields_NNNN.vtu at the end of every program step.'),
  open_threshold: fraction()
    .default(0.5)
    .describe('A boundary counts as open while its opening o ≥ this (open_boundary_fraction), in [0, 1].'),
  merge_threshold: fraction()
    .default(0.5)
    .describe('Two grains merge when the closed share of their common boundary length exceeds this, in [0, 1].'),
  checkpoint_every_steps: z
    .int()
    .min(0)
    .default(20)
    .describe(
      'Write checkpoint.json every this many steps (0: never); `chemofrac synthesize … --resume` continues from it to the same history.csv byte for byte.',
    ),
});

export const SynthesisSectionSchema = z.strictObject({
  preset: z
    .enum(SYNTHESIS_PRESET_NAMES as [string, ...string[]])
    .optional()
    .describe(
      'Start from a preset (ncm90-bare, ncm90-wo3-ald, ncm622-direct, ncm622-two-step); keys given here override it.',
    ),
  precursor: PrecursorSchema.default(PrecursorSchema.parse({})).describe('The hydroxide precursor.'),
  li_source: LiSourceSchema.default(LiSourceSchema.parse({})).describe('The molten Li source at the outer surface.'),
  coating: CoatingSynthesisSchema.optional().describe(
    'Optional precursor coating { "kind": "WO3-ALD", "ald_cycles": N }.',
  ),
  temperature_program: TemperatureProgramSchema.describe('T(t): start temperature and ramps/holds.'),
  rates: RatesSchema.default(RatesSchema.parse({})).describe('Arrhenius transport and reaction rates.'),
  pinning: PinningSchema.default(PinningSchema.parse({})).describe('LixWOy boundary pinning and surface blocking.'),
  solver: SynthesisSolverSchema.default(SynthesisSolverSchema.parse({})).describe('Time stepping.'),
  output: SynthesisOutputSchema.default(SynthesisOutputSchema.parse({})).describe('Snapshots and metric thresholds.'),
});

export const SynthesisConfigSchema = z.strictObject({
  name: z.string().optional().describe('Name of the run, kept in summary.json.'),
  geometry: GeometrySchema.default({ shape: 'quarter', radius_um: 5, mesh_size_um: 0.1 }).describe(
    'Particle shape, size and mesh resolution (as for a charge).',
  ),
  microstructure: MicrostructureSchema.default(MICROSTRUCTURE_DEFAULTS).describe(
    'The Voronoi polycrystal (as for a charge).',
  ),
  synthesis: SynthesisSectionSchema.describe('The calcination: precursor, Li source, coating, T(t), rates.'),
});

export type SynthesisConfig = z.output<typeof SynthesisConfigSchema>;
export type SynthesisSection = SynthesisConfig['synthesis'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Preset values under the user's: objects merge key by key, anything else (arrays included) is replaced. */
function mergeOver(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeOver(base[k], v);
  return out;
}

function keyOf(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : (i ? '.' : '') + String(p))).join('');
}

function explain(issues: readonly z.core.$ZodIssue[], input: unknown, prefix: PropertyKey[] = []) {
  const out: { key: string; message: string }[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    const key = keyOf(path);
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out.push({ key: key ? `${key}.${k}` : k, message: 'unknown key' });
    } else if (issue.code === 'invalid_union') {
      // A program step: name the branch that got furthest (ramp or hold).
      const v = valueAt(input, path);
      const branch = isObject(v) && 'hold_min' in v && !('ramp_C_per_min' in v) ? issue.errors[1] : issue.errors[0];
      const sub = explain(branch ?? [], input, path);
      out.push(
        ...(sub.length
          ? sub
          : [{ key, message: `got ${describeValue(v)}; expected { "ramp_C_per_min", "to_C" } or { "hold_min" }` }]),
      );
    } else if (issue.code === 'invalid_type') {
      out.push({ key, message: `got ${describeValue(valueAt(input, path))}; expected ${issue.expected}` });
    } else if (issue.code === 'invalid_value') {
      out.push({
        key,
        message: `got ${describeValue(valueAt(input, path))}; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
      });
    } else out.push({ key, message: `got ${describeValue(valueAt(input, path))}; ${issue.message}` });
  }
  return out;
}

/**
 * Validate a synthesis config: the preset (if any) expanded under the user's keys, schema defaults applied, then
 * the checks zod cannot express (a ramp must go somewhere). Throws SynthesisConfigError naming the key.
 */
export function parseSynthesisConfig(input: unknown): SynthesisConfig {
  if (!isObject(input)) throw new SynthesisConfigError([{ key: '', message: `the config must be a JSON object` }]);
  let expanded: unknown = input;
  const s = input.synthesis;
  if (isObject(s) && typeof s.preset === 'string') {
    const preset = SYNTHESIS_PRESETS[s.preset];
    if (!preset)
      throw new SynthesisConfigError([
        {
          key: 'synthesis.preset',
          message: `got ${JSON.stringify(s.preset)}; allowed: ${SYNTHESIS_PRESET_NAMES.join(', ')}`,
        },
      ]);
    expanded = { ...input, synthesis: mergeOver(preset, s) };
  }
  const result = SynthesisConfigSchema.safeParse(expanded);
  if (!result.success) throw new SynthesisConfigError(explain(result.error.issues, expanded));
  const c = result.data;
  const issues: { key: string; message: string }[] = [];
  let T = c.synthesis.temperature_program.start_C;
  c.synthesis.temperature_program.steps.forEach((step, i) => {
    if ('to_C' in step) {
      if (step.to_C === T)
        issues.push({
          key: `synthesis.temperature_program.steps[${i}].to_C`,
          message: `got ${step.to_C}; a ramp must end at a temperature other than the one it starts from (${T} °C)`,
        });
      T = step.to_C;
    }
  });
  if (c.microstructure.from_synthesis !== undefined)
    issues.push({
      key: 'microstructure.from_synthesis',
      message: 'is a charge key (load a synthesized particle); a synthesis starts from the precursor',
    });
  if (c.microstructure.interfaces === 'none')
    issues.push({
      key: 'microstructure.interfaces',
      message: 'got "none"; a synthesis needs the grain-boundary interface elements ("cohesive", the default)',
    });
  if (issues.length) throw new SynthesisConfigError(issues);
  return c;
}
