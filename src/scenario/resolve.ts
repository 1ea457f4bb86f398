/**
 * config → validated, fully resolved description: the one place that knows defaults. The result is written
 * verbatim into `summary.json`, so a run can always be reproduced from its own output folder.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';
import { describeValue, valueAt } from './issue-text.js';
import {
  checkCoatingInterface,
  checkGrainBoundary,
  checkLoadingAndGeometry,
  checkMaterial,
} from './physical-checks.js';
import {
  POROSITY_PRESETS,
  domainArea_um2,
  grainsFromMeanDiameter,
  type OrientationSpec,
  type PorositySpec,
} from '../mesh/spec.js';
import { ConfigSchema, type ParsedConfig } from './config-schema.js';
import {
  MATERIAL_PRESETS,
  PARAMETER_PROVENANCE,
  representativeModulus_GPa,
  type GrainBoundaryLaw,
  type MaterialSpec,
} from '../materials/presets.js';

// Porosity presets, the porosity spec, the domain area and the grain count from a diameter are the mesher's
// (one definition each, src/mesh/spec.ts).
export { POROSITY_PRESETS };
export type { PorositySpec };

export interface ResolvedConfig {
  name: string;
  geometry: { shape: 'quarter' | 'full'; radius_um: number; mesh_size_um: number };
  microstructure: {
    grains: number;
    mean_grain_diameter_um: number;
    seed: number;
    orientation: OrientationSpec;
    lloyd_iterations: number;
    size_spread: number;
    interfaces: 'cohesive' | 'none';
    pore_fill: 'empty' | 'electrolyte';
    /** microstructure.json of a synthesis (docs/synthesis.md §9); absent for a Voronoi particle. */
    from_synthesis?: string;
  };
  coating: null | {
    thickness_um: number;
    material: MaterialSpec;
    interface: 'bonded' | { strength_MPa: number; Gc_J_m2: number };
  };
  porosity: null | PorositySpec;
  material: MaterialSpec & { gb: GrainBoundaryLaw & { penalty_GPa_per_um: number } };
  loading: Omit<ParsedConfig['loading'], 'charge' | 'discharge' | 'c_rates'> & {
    c_rates: number[];
    /** Cycling only (`protocol: "cycling"`), filled in by the resolver. */
    charge?: CyclingLeg;
    discharge?: CyclingLeg;
  };
  solver: ParsedConfig['solver'];
  output: ParsedConfig['output'];
}

/** A resolved leg of a cycling protocol: the C-rate list and the SoC that ends the leg. */
export interface CyclingLeg {
  c_rates: number[];
  to_soc: number;
}

/** The cycling protocol's defaults (docs/physics.md §9). */
export const CYCLING_DEFAULTS = {
  cycles: 1,
  charge: { c_rates: [1, 0.5, 0.1], to_soc: 1 },
  discharge: { c_rates: [1, 0.5, 0.1], to_soc: 0 },
  rest_s: 0,
  isolated_grain_damage: 0.99,
  cycle_jump: { enabled: true, max_damage_increment: 0.02 },
} as const;

/** True for a cycling run (`loading.protocol: "cycling"`). */
export function isCycling(c: { loading: { protocol?: string } }): boolean {
  return c.loading.protocol === 'cycling';
}

/**
 * Cycling keys: defaults filled in (only for cycling runs, so a single charge resolves exactly as before) and the
 * protocol checked: the first leg is a charge from initial_soc, charge.to_soc > discharge.to_soc, output.cycles
 * within 1 … cycles. Returns the issues found.
 */
function resolveCycling(
  c: ParsedConfig,
  loading: ResolvedConfig['loading'],
  output: ResolvedConfig['output'],
  solver: ResolvedConfig['solver'],
  gb: GrainBoundaryLaw,
) {
  const issues: { key: string; message: string }[] = [];
  if (!isCycling(c)) {
    if (output.cycles !== undefined)
      issues.push({ key: 'output.cycles', message: 'is for "loading.protocol": "cycling" runs only' });
    if (output.isolated_grain_damage !== undefined)
      issues.push({ key: 'output.isolated_grain_damage', message: 'is for "loading.protocol": "cycling" runs only' });
    if (c.solver.cycle_jump !== undefined)
      issues.push({ key: 'solver.cycle_jump', message: 'is for "loading.protocol": "cycling" runs only' });
    return issues;
  }
  const list = (r: number | readonly number[]) => (typeof r === 'number' ? [r] : [...r]);
  if (c.loading.to_soc !== undefined || c.loading.duration_s !== undefined)
    issues.push({
      key: c.loading.to_soc !== undefined ? 'loading.to_soc' : 'loading.duration_s',
      message:
        'is not used with "protocol": "cycling"; each leg ends at loading.charge.to_soc / loading.discharge.to_soc',
    });
  if (c.loading.direction !== 'charge')
    issues.push({
      key: 'loading.direction',
      message: `got "${c.loading.direction}"; a cycling run starts with its charge leg (leave direction out)`,
    });
  loading.cycles = c.loading.cycles ?? CYCLING_DEFAULTS.cycles;
  loading.rest_s = c.loading.rest_s ?? CYCLING_DEFAULTS.rest_s;
  loading.crack_infiltration = c.loading.crack_infiltration ?? false;
  const charge = c.loading.charge ?? CYCLING_DEFAULTS.charge;
  const discharge = c.loading.discharge ?? CYCLING_DEFAULTS.discharge;
  loading.charge = { c_rates: list(charge.c_rates), to_soc: charge.to_soc };
  loading.discharge = { c_rates: list(discharge.c_rates), to_soc: discharge.to_soc };
  if (loading.charge.to_soc <= loading.discharge.to_soc)
    issues.push({
      key: 'loading.charge.to_soc',
      message: `got ${loading.charge.to_soc}; must be above loading.discharge.to_soc (${loading.discharge.to_soc})`,
    });
  if (loading.charge.to_soc <= c.loading.initial_soc)
    issues.push({
      key: 'loading.charge.to_soc',
      message: `got ${loading.charge.to_soc}; must be above loading.initial_soc (${c.loading.initial_soc}): the first leg is a charge`,
    });
  const cycles = [...new Set(output.cycles ?? [1, loading.cycles])].sort((a, b) => a - b);
  const beyond = cycles.filter((k) => k > loading.cycles!);
  if (beyond.length)
    issues.push({
      key: 'output.cycles',
      message: `got ${JSON.stringify(output.cycles)}; every entry must be in 1 … loading.cycles (${loading.cycles})`,
    });
  output.cycles = cycles;
  solver.cycle_jump = {
    enabled: c.solver.cycle_jump?.enabled ?? CYCLING_DEFAULTS.cycle_jump.enabled,
    max_damage_increment: c.solver.cycle_jump?.max_damage_increment ?? CYCLING_DEFAULTS.cycle_jump.max_damage_increment,
  };
  output.isolated_grain_damage = output.isolated_grain_damage ?? CYCLING_DEFAULTS.isolated_grain_damage;
  // Cohesive fatigue is on in cycling runs (docs/physics.md §9), with the tagged defaults unless the config sets it.
  if (gb.enabled) {
    gb.fatigue_endurance_ratio ??= PARAMETER_PROVENANCE['gb.fatigue_endurance_ratio'].value as number;
    gb.fatigue_length_ratio ??= PARAMETER_PROVENANCE['gb.fatigue_length_ratio'].value as number;
  }
  return issues;
}

/** A user error in a config: names the key, the value and what is allowed. Never a stack trace for the user. */
export class ConfigError extends InputError {
  readonly issues: { key: string; message: string }[];
  constructor(issues: { key: string; message: string }[]) {
    super(
      'Invalid config: ' +
        issues.map((i) => (i.key ? `${i.key}: ${i.message}` : i.message)).join('; ') +
        '. See docs/config.md (or `chemofrac schema`) for every key, its unit and its allowed values.',
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Allowed keys of the strict object schema reached by `path` (following defaults, optionals and unions). */
function allowedKeysAt(path: PropertyKey[], value: unknown): string[] {
  const keys = new Set<string>();
  const visit = (schema: z.ZodType, rest: PropertyKey[], v: unknown): void => {
    const def = (
      schema as unknown as {
        def: { type: string; innerType?: z.ZodType; options?: z.ZodType[]; getter?: () => z.ZodType };
      }
    ).def;
    if (def.type === 'default' || def.type === 'optional' || def.type === 'nullable')
      return visit(def.innerType!, rest, v);
    if (def.type === 'lazy') return visit(def.getter!(), rest, v);
    if (def.type === 'union') return def.options!.forEach((o) => visit(o, rest, v));
    if (def.type !== 'object') return;
    const shape = (schema as unknown as z.ZodObject).shape as Record<string, z.ZodType>;
    if (rest.length === 0) {
      Object.keys(shape).forEach((k) => keys.add(k));
      return;
    }
    const [head, ...tail] = rest;
    const child = shape[String(head)];
    if (child)
      visit(child, tail, v && typeof v === 'object' ? (v as Record<string, unknown>)[String(head)] : undefined);
  };
  visit(ConfigSchema, path, value);
  return [...keys];
}

type Issue = z.core.$ZodIssue;

function describeExpected(expected: string, path: PropertyKey[], input: unknown): string {
  if (expected !== 'object') return `${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}`;
  const keys = allowedKeysAt(path, input);
  return keys.length ? `an object with keys {${keys.join(', ')}}` : 'an object';
}

/** Flatten zod issues into key / message pairs a battery researcher can act on. */
function explainIssues(
  issues: readonly Issue[],
  input: unknown,
  prefix: PropertyKey[] = [],
): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    const key = path.map(String).join('.');
    const value = valueAt(input, path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = allowedKeysAt(path, input);
        for (const k of issue.keys)
          out.push({
            key: key ? `${key}.${k}` : k,
            message: `unknown key (allowed here: ${allowed.join(', ')})`,
          });
        break;
      }
      case 'invalid_union': {
        // Prefer the branch that got furthest: the one whose issues are not a plain type mismatch at its root.
        const branches = issue.errors.filter((b) => b.length > 0);
        const informative = branches.filter(
          (b) =>
            !(
              b.length === 1 &&
              b[0].path.length === 0 &&
              (b[0].code === 'invalid_type' || b[0].code === 'invalid_value')
            ),
        );
        if (informative.length === 1) {
          out.push(...explainIssues(informative[0], input, path));
        } else {
          const alternatives = branches
            .map((b) =>
              b[0].code === 'invalid_value'
                ? (b[0] as { values: unknown[] }).values.map((x) => JSON.stringify(x)).join(' | ')
                : b[0].code === 'invalid_type'
                  ? describeExpected((b[0] as { expected: string }).expected, path, input)
                  : null,
            )
            .filter((a, i, all) => a && all.indexOf(a) === i);
          out.push({
            key,
            message:
              `got ${describeValue(value)}; allowed: ${alternatives.length ? alternatives.join(', or ') : 'see docs/config.md'}` +
              (informative.length
                ? ` (${explainIssues(informative[0], input, path)
                    .map((i) => `${i.key}: ${i.message}`)
                    .join('; ')})`
                : ''),
          });
        }
        break;
      }
      case 'invalid_value':
        out.push({
          key,
          message: `got ${describeValue(value)}; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        });
        break;
      case 'invalid_type':
        out.push({ key, message: `got ${describeValue(value)}; expected ${issue.expected}` });
        break;
      default:
        out.push({ key, message: `got ${describeValue(value)}; ${issue.message}` });
    }
  }
  return out;
}

/** Validate a user config against the schema (unknown keys, units, ranges) without resolving presets. */
export function parseConfig(input: unknown): ParsedConfig {
  const result = ConfigSchema.safeParse(input);
  if (!result.success) throw new ConfigError(explainIssues(result.error.issues, input));
  return result.data;
}

function resolveMaterial(m: ParsedConfig['material']): MaterialSpec {
  if (typeof m === 'string') return structuredClone(MATERIAL_PRESETS[m]);
  const base = structuredClone(MATERIAL_PRESETS[m.preset]);
  const gb: GrainBoundaryLaw =
    m.gb === undefined
      ? base.gb
      : m.gb.enabled === false
        ? { ...base.gb, enabled: false }
        : {
            enabled: true,
            strength_MPa: m.gb.strength_MPa ?? base.gb.strength_MPa,
            Gc_J_m2: m.gb.Gc_J_m2 ?? base.gb.Gc_J_m2,
            penalty_GPa_per_um: m.gb.penalty_GPa_per_um ?? base.gb.penalty_GPa_per_um,
            viscosity_s: m.gb.viscosity_s ?? base.gb.viscosity_s,
            ...(m.gb.fatigue_endurance_ratio !== undefined
              ? { fatigue_endurance_ratio: m.gb.fatigue_endurance_ratio }
              : {}),
            ...(m.gb.fatigue_length_ratio !== undefined ? { fatigue_length_ratio: m.gb.fatigue_length_ratio } : {}),
          };
  const model = m.diffusivity_model ?? base.diffusivity_model;
  const resolved: MaterialSpec = {
    name: m.preset,
    D_ab_m2_s: m.D_ab_m2_s ?? base.D_ab_m2_s,
    D_c_over_D_ab: m.D_c_over_D_ab ?? base.D_c_over_D_ab,
    ...(model !== undefined ? { diffusivity_model: model } : {}),
    elasticity: m.elasticity ?? base.elasticity,
    lattice_strain: m.lattice_strain ?? base.lattice_strain,
    gb,
  };
  // The preset's name only when the overrides change nothing (a config written back by toInputConfig spells out
  // every value of its preset and must resolve to the same material, name included).
  const { name: _name, ...rest } = resolved;
  const { name: _baseName, ...baseRest } = base;
  if (canonicalJson(rest) !== canonicalJson(baseRest)) resolved.name = m.preset + '+overrides';
  return resolved;
}

/** The cohesive penalty when none is given: K = 50 E / d (docs/physics.md §3), so intact boundaries add no compliance. */
export function derivedPenalty_GPa_per_um(material: MaterialSpec, meanGrainDiameter_um: number): number {
  return (50 * representativeModulus_GPa(material.elasticity)) / meanGrainDiameter_um;
}

/** A D(x) fit replaces D_ab_m2_s: a config giving both is ambiguous (which one did the run use?). */
function checkDiffusivityModel(
  issues: { key: string; message: string }[],
  key: string,
  input: ParsedConfig['material'],
  m: MaterialSpec,
): void {
  if (typeof input === 'string' || input.D_ab_m2_s === undefined) return;
  if ((m.diffusivity_model ?? 'constant') !== 'constant')
    issues.push({
      key: `${key}.D_ab_m2_s`,
      message: `got ${input.D_ab_m2_s} with ${key}.diffusivity_model "${m.diffusivity_model}", whose D_ab follows x; give "diffusivity_model": "constant" to use a constant D_ab, or leave D_ab_m2_s out`,
    });
}

/** Default mean grain diameter (µm), docs/physics.md §4 ("hundreds of nanometres", S). */
export const DEFAULT_MEAN_GRAIN_DIAMETER_UM = 0.5;

/**
 * Validate and resolve a user config: presets expanded, grain count and mean grain diameter both known,
 * the cohesive penalty derived (K = 50 E / d, docs/physics.md §3) when not given. Throws ConfigError naming the key.
 */
export function resolveConfig(input: unknown): ResolvedConfig {
  const c = parseConfig(input);
  const issues: { key: string; message: string }[] = [];
  const area = domainArea_um2(c.geometry.shape, c.geometry.radius_um);
  const grains =
    c.microstructure.grains ??
    grainsFromMeanDiameter(
      c.geometry.shape,
      c.geometry.radius_um,
      c.microstructure.mean_grain_diameter_um ?? DEFAULT_MEAN_GRAIN_DIAMETER_UM,
    );
  const meanDiameter = Math.sqrt((4 * area) / (Math.PI * grains));

  const material = resolveMaterial(c.material);
  if (c.coating && c.coating.thickness_um >= c.geometry.radius_um)
    issues.push({
      key: 'coating.thickness_um',
      message: `got ${c.coating.thickness_um}; must be > 0 and < geometry.radius_um (${c.geometry.radius_um})`,
    });
  if (c.geometry.mesh_size_um > c.geometry.radius_um / 2)
    issues.push({
      key: 'geometry.mesh_size_um',
      message: `got ${c.geometry.mesh_size_um}; must be ≤ radius_um / 2 (${c.geometry.radius_um / 2})`,
    });
  if (c.loading.x_min >= c.loading.x_max)
    issues.push({
      key: 'loading.x_min',
      message: `got ${c.loading.x_min}; must be < loading.x_max (${c.loading.x_max})`,
    });
  if (c.solver.min_dt_s > c.solver.max_dt_s)
    issues.push({
      key: 'solver.min_dt_s',
      message: `got ${c.solver.min_dt_s}; must be ≤ solver.max_dt_s (${c.solver.max_dt_s})`,
    });
  checkLoadingAndGeometry(issues, c);
  if (c.microstructure.from_synthesis !== undefined)
    for (const key of ['porosity', 'coating'] as const)
      if (c[key] !== undefined)
        issues.push({
          key,
          message: `is given with microstructure.from_synthesis; a synthesized particle's pores are its voids and it has no coating annulus: remove ${key}`,
        });
  checkMaterial(issues, 'material', material);
  checkDiffusivityModel(issues, 'material', c.material, material);
  const coatingMaterial = c.coating ? resolveMaterial(c.coating.material as ParsedConfig['material']) : null;
  if (coatingMaterial) {
    checkMaterial(issues, 'coating.material', coatingMaterial);
    checkDiffusivityModel(issues, 'coating.material', c.coating!.material as ParsedConfig['material'], coatingMaterial);
  }
  if (issues.length) throw new ConfigError(issues);

  const penalty = material.gb.penalty_GPa_per_um ?? derivedPenalty_GPa_per_um(material, meanDiameter);
  const interfaces = c.microstructure.interfaces ?? (material.gb.enabled ? 'cohesive' : 'none');
  if (interfaces === 'none' && material.gb.enabled && c.microstructure.interfaces === 'none')
    throw new ConfigError([
      {
        key: 'microstructure.interfaces',
        message:
          'is "none" (no interface elements) but material.gb is enabled; set material.gb to { "enabled": false } for a perfectly bonded polycrystal',
      },
    ]);

  checkGrainBoundary(issues, 'material.gb', { ...material.gb, penalty_GPa_per_um: penalty });
  if (c.coating) checkCoatingInterface(issues, c.coating.interface, penalty);
  if (issues.length) throw new ConfigError(issues);

  const porosity: PorositySpec | null =
    c.porosity === undefined ? null : typeof c.porosity === 'string' ? { ...POROSITY_PRESETS[c.porosity] } : c.porosity;

  const { charge: _charge, discharge: _discharge, ...rawLoading } = c.loading;
  const loading: ResolvedConfig['loading'] = {
    ...rawLoading,
    c_rates: typeof c.loading.c_rates === 'number' ? [c.loading.c_rates] : c.loading.c_rates,
  };
  const output: ResolvedConfig['output'] = structuredClone(c.output);
  if (loading.to_soc === undefined && loading.duration_s === undefined && !isCycling(c))
    loading.to_soc = loading.direction === 'charge' ? 1.0 : 0.0;
  const solver: ResolvedConfig['solver'] = { ...c.solver };
  const cyclingIssues = resolveCycling(c, loading, output, solver, material.gb);
  if (cyclingIssues.length) throw new ConfigError(cyclingIssues);

  return {
    name: c.name ?? 'run',
    geometry: c.geometry,
    microstructure: {
      grains,
      mean_grain_diameter_um: meanDiameter,
      seed: c.microstructure.seed,
      orientation: c.microstructure.orientation,
      lloyd_iterations: c.microstructure.lloyd_iterations,
      size_spread: c.microstructure.size_spread,
      interfaces,
      pore_fill: c.microstructure.pore_fill,
      ...(c.microstructure.from_synthesis !== undefined ? { from_synthesis: c.microstructure.from_synthesis } : {}),
    },
    coating: c.coating
      ? {
          thickness_um: c.coating.thickness_um,
          material: coatingMaterial!,
          interface: c.coating.interface,
        }
      : null,
    porosity,
    material: { ...material, gb: { ...material.gb, penalty_GPa_per_um: penalty } },
    loading,
    solver,
    output,
  };
}
