/**
 * The cycling protocol (docs/physics.md §9): config keys and their errors, legs that end at their SoC limits or
 * when every surface segment is limited, rests without current, Li conservation over many legs, capacities and
 * retention, and the isolated-grain count.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/scenario/resolve.js';
import { Simulation, type StepRecord } from '../../src/engine/simulation.js';
import { grainLi, isolatedGrains } from '../../src/engine/metrics.js';
import { buildScenario, meshSpecFromConfig } from '../../src/scenario/build.js';
import { meshPolycrystal } from '../../src/mesh/index.js';
import { INTERFACE_GRAIN_BOUNDARY } from '../../src/mesh/types.js';

/** A small quarter (R = 2 µm, 12 grains, h = 0.2 µm): a cycle takes well under a second. */
const small = (seed: number, loading: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  geometry: { radius_um: 2, mesh_size_um: 0.2 },
  microstructure: { grains: 12, seed },
  loading: { protocol: 'cycling', ...loading },
  output: { vtu: false },
  ...extra,
});

function configError(input: unknown): ConfigError {
  try {
    resolveConfig(input);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('cycling config', () => {
  it('a single charge resolves without any cycling key (its resolved config is unchanged)', () => {
    const r = resolveConfig({});
    for (const k of ['protocol', 'cycles', 'charge', 'discharge', 'rest_s']) expect(r.loading).not.toHaveProperty(k);
    expect(r.output).not.toHaveProperty('cycles');
    expect(r.output).not.toHaveProperty('isolated_grain_damage');
    expect(r.loading.to_soc).toBe(1);
  });

  it('fills the cycling defaults and normalises the rate lists', () => {
    const r = resolveConfig({ loading: { protocol: 'cycling', cycles: 30, discharge: { c_rates: 2, to_soc: 0.1 } } });
    expect(r.loading.charge).toEqual({ c_rates: [1, 0.5, 0.1], to_soc: 1 });
    expect(r.loading.discharge).toEqual({ c_rates: [2], to_soc: 0.1 });
    expect(r.loading.rest_s).toBe(0);
    expect(r.loading.to_soc).toBeUndefined();
    expect(r.output.cycles).toEqual([1, 30]);
    expect(r.output.isolated_grain_damage).toBe(0.99);
  });

  it('names the key, the value and what is allowed', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ loading: { cycles: 3 } }, 'loading', /belong to "protocol": "cycling"/],
      [
        { loading: { protocol: 'cycling', charge: { to_soc: 0.2 }, discharge: { to_soc: 0.5 } } },
        'loading.charge.to_soc',
        /got 0.2; must be above loading.discharge.to_soc \(0.5\)/,
      ],
      [{ loading: { protocol: 'cycling', cycles: 10 }, output: { cycles: [5, 11] } }, 'output.cycles', /1 … .*\(10\)/],
      [{ loading: { protocol: 'cycling', to_soc: 0.5 } }, 'loading.to_soc', /not used with "protocol": "cycling"/],
      [{ loading: { protocol: 'cycling', direction: 'discharge' } }, 'loading.direction', /starts with its charge/],
      [
        { loading: { protocol: 'cycling', charge: { c_rates: [1, 1e6], to_soc: 1 } } },
        'loading.charge.c_rates[1]',
        /1000/,
      ],
      [{ loading: { protocol: 'cycling', rest_s: -1 } }, 'loading.rest_s', /≥ 0/],
      [{ output: { cycles: [1] } }, 'output.cycles', /cycling/],
    ];
    for (const [input, key, message] of cases) {
      const e = configError(input);
      const issue = e.issues.find((i) => i.key === key);
      expect(issue, `${JSON.stringify(input)} → ${e.message}`).toBeDefined();
      expect(issue!.message).toMatch(message);
    }
  });
});

/** Rows of every step, across cycles (the simulation keeps only the current cycle's). */
async function runAll(config: unknown): Promise<{ sim: Simulation; rows: StepRecord[] }> {
  const sim = await Simulation.create(config);
  const rows: StepRecord[] = [...sim.history];
  await sim.run({ onStep: (r) => void rows.push(r) });
  return { sim, rows };
}

describe('cycling protocol without damage (perfectly bonded grains)', () => {
  // Three microstructures; 0.5C so that no surface segment reaches its limit: every leg ends at its SoC limit.
  for (const seed of [3, 8, 21]) {
    it(`seed ${seed}: legs end exactly at their SoC limits, rests hold the SoC, Li is conserved, retention 1`, async () => {
      const rest_s = 120;
      const { sim, rows } = await runAll(
        small(
          seed,
          { cycles: 3, charge: { c_rates: 0.5, to_soc: 0.8 }, discharge: { c_rates: 0.5, to_soc: 0.2 }, rest_s },
          { material: { preset: 'nmc90-bare', gb: { enabled: false } } },
        ),
      );
      expect(sim.endReason).toBe('cycles');
      expect(sim.cycles.map((c) => c.cycle)).toEqual([1, 2, 3]);
      // Li balance x_mean = 1 − SoC Δx_1C at every step of every leg.
      expect(rows.map((r) => r.mass_balance_error)).toBeCloseArray(0, { abs: 1e-12 });
      for (const c of sim.cycles) {
        expect(c.charge_end).toBe('to_soc');
        expect(c.discharge_end).toBe('to_soc');
        expect(c.isolated_fraction).toBe(0);
        expect(c.class).toBe('intact');
        expect(c.damage_mean).toBe(0);
      }
      // First charge 0 → 0.8, then 0.6 per leg: capacities relative to the first charge.
      expect(sim.cycles.map((c) => c.charge_soc)).toBeCloseArray([0.8, 0.6, 0.6], { abs: 1e-9 });
      expect(sim.cycles.map((c) => c.charge_capacity)).toBeCloseArray([1, 0.75, 0.75], { abs: 1e-9 });
      expect(sim.cycles.map((c) => c.discharge_capacity)).toBeCloseArray([0.75, 0.75, 0.75], { abs: 1e-9 });
      expect(sim.cycles.map((c) => c.retention)).toBeCloseArray(1, { abs: 1e-9 });
      // Rests: no current, so the SoC stays put, and each rest lasts rest_s.
      const rests = rows.filter((r) => r.leg === 'rest');
      expect(rests.length).toBeGreaterThan(0);
      for (let i = 1; i < rows.length; i++) if (rows[i].leg === 'rest') expect(rows[i].soc).toBe(rows[i - 1].soc);
      const restTime = rests.reduce((s, r) => s + r.dt_s, 0);
      expect(restTime).toBeWithin(2 * 3 * rest_s, { rel: 1e-12 });
      // The legs alternate in order within each cycle.
      const order = rows.slice(1).map((r) => `${r.cycle}${r.leg}`);
      const legs = order.filter((k, i) => i === 0 || k !== order[i - 1]);
      expect(legs).toEqual([1, 2, 3].flatMap((c) => [`${c}charge`, `${c}rest`, `${c}discharge`, `${c}rest`]));
    });
  }
});

describe('a leg limited by the surface', () => {
  it('a fast discharge ends when every surface segment is limited, short of its SoC limit (two seeds)', async () => {
    for (const seed of [4, 9]) {
      const { sim, rows } = await runAll(
        small(
          seed,
          { cycles: 2, charge: { c_rates: 1, to_soc: 0.9 }, discharge: { c_rates: 40, to_soc: 0 } },
          { material: { preset: 'nmc90-bare', gb: { enabled: false } } },
        ),
      );
      const segments = sim.scenario.setup.fluxSegmentCount;
      for (const c of sim.cycles) {
        expect(c.discharge_end).toBe('capacity_limited');
        expect(c.discharge_soc).toBeLessThan(0.9 - 0.05);
      }
      // The last discharge step of each cycle has every segment held back.
      for (const cycle of [1, 2]) {
        const last = rows.filter((r) => r.cycle === cycle && r.leg === 'discharge').pop()!;
        expect(last.limited_segments).toBe(segments);
      }
      // The next charge starts where the discharge stopped: its capacity is 0.9 − that SoC.
      const c1 = sim.cycles[0];
      expect(sim.cycles[1].charge_soc).toBeWithin(0.9 - c1.soc_end, { abs: 1e-9 });
    }
  });
});

describe('isolated grains', () => {
  it('a grain whose boundaries are all cracked is isolated; below the threshold it is not', () => {
    const config = resolveConfig(small(5, {}));
    const mesh = meshPolycrystal(meshSpecFromConfig(config));
    const scenario = buildScenario(config, mesh);
    const onSurface = new Set(scenario.fluxSegmentGrain);
    const interior = [...Array(mesh.grainCount).keys()].filter((g) => !onSurface.has(g));
    expect(interior.length).toBeGreaterThan(0);
    const damage = new Float64Array(2 * mesh.interfaceCount);
    expect(isolatedGrains(scenario, damage, 0.99).count).toBe(0);
    let grainArea = 0;
    const areaOf = new Float64Array(mesh.grainCount);
    for (let t = 0; t < mesh.triCount; t++) {
      areaOf[mesh.triGrain[t]] += scenario.triArea_um2[t];
      grainArea += scenario.triArea_um2[t];
    }
    for (const g of interior) {
      const around = (D: number) => {
        damage.fill(0);
        for (let i = 0; i < mesh.interfaceCount; i++)
          if (
            mesh.interfaceKind[i] === INTERFACE_GRAIN_BOUNDARY &&
            (mesh.interfaceGrainA[i] === g || mesh.interfaceGrainB[i] === g)
          )
            damage[2 * i] = damage[2 * i + 1] = D;
        return isolatedGrains(scenario, damage, 0.99);
      };
      const cracked = around(1);
      expect(cracked.count).toBe(1);
      expect(cracked.isolated[g]).toBe(1);
      expect(cracked.areaFraction).toBeWithin(areaOf[g] / grainArea, { rel: 1e-12 });
      expect(around(0.98).count).toBe(0);
    }
  });
});

describe('crack-blocked diffusion and isolated grains during cycling', () => {
  /** A cycling run with every boundary of one interior grain cracked (D = 1, κ = λf) from the start. */
  async function withCrackedGrain(seed: number, blocks: boolean) {
    const config = resolveConfig(
      small(
        seed,
        { cycles: 2, charge: { c_rates: 0.5, to_soc: 0.8 }, discharge: { c_rates: 0.5, to_soc: 0.2 } },
        {
          material: { preset: 'nmc90-bare', gb: { strength_MPa: 2000, Gc_J_m2: 40 } },
          solver: { crack_blocks_diffusion: blocks },
        },
      ),
    );
    const sim = await Simulation.create(config);
    const { mesh } = sim.scenario;
    const onSurface = new Set(sim.scenario.fluxSegmentGrain);
    const g = [...Array(mesh.grainCount).keys()].find((k) => !onSurface.has(k))!;
    const state = sim.kernel.exportState();
    const m = sim.scenario.setup.interfaceMaterials[0];
    for (let i = 0; i < mesh.interfaceCount; i++)
      if (
        mesh.interfaceKind[i] === INTERFACE_GRAIN_BOUNDARY &&
        (mesh.interfaceGrainA[i] === g || mesh.interfaceGrainB[i] === g)
      )
        for (const p of [2 * i, 2 * i + 1]) {
          state.damage[p] = 1;
          state.kappa[p] = (2 * m.Gc_J_m2) / m.strength_MPa;
        }
    sim.kernel.importState(state);
    const li = () => grainLi(sim.scenario, sim.fields().x, new Float64Array(mesh.grainCount))[g];
    const before = li();
    const atLegEnds: number[] = [];
    let leg = sim.legKind;
    await sim.run({
      onStep: () => {
        if (sim.legKind !== leg || sim.done) atLegEnds.push(li());
        leg = sim.legKind;
      },
    });
    return { sim, before, atLegEnds };
  }

  for (const seed of [5, 13]) {
    it(`seed ${seed}: a grain behind cracked boundaries keeps its Li when diffusion is crack-blocked, and its Li is never counted as capacity`, async () => {
      const blocked = await withCrackedGrain(seed, true);
      expect(blocked.sim.cycles.every((c) => c.isolated_grains === 1)).toBe(true);
      expect(blocked.atLegEnds).toBeCloseArray(blocked.before, { rel: 1e-9 });
      // nothing goes into or out of the isolated grain: the accessible capacity is the surface's ΔSoC
      expect(blocked.sim.cycles.map((c) => c.charge_soc)).toBeCloseArray([0.8, 0.6], { abs: 1e-9 });
      expect(blocked.sim.cycles.map((c) => c.discharge_soc)).toBeCloseArray([0.6, 0.6], { abs: 1e-9 });

      const open = await withCrackedGrain(seed, false);
      expect(open.sim.cycles.every((c) => c.isolated_grains === 1)).toBe(true);
      // without crack blocking Li still crosses the cracked boundaries (the grain delithiates on charge) …
      expect(open.atLegEnds[0]).toBeLessThan(open.before * (1 - 0.1));
      // … but what it gives or takes is subtracted: the accessible capacity is smaller than the surface ΔSoC
      expect(open.sim.cycles[0].charge_soc).toBeLessThan(0.8 - 1e-3);
      expect(open.sim.cycles[1].discharge_soc).toBeLessThan(0.6 - 1e-3);
    });
  }
});

describe('electrolyte infiltration of surface-connected cracks', () => {
  /** Every grain boundary cracked from the start, crack-blocked diffusion, 0.5C both ways. */
  async function allCracked(seed: number, infiltration: boolean) {
    const config = resolveConfig(
      small(
        seed,
        {
          cycles: 2,
          charge: { c_rates: 0.5, to_soc: 0.8 },
          discharge: { c_rates: 0.5, to_soc: 0.2 },
          crack_infiltration: infiltration,
        },
        {
          material: { preset: 'nmc90-bare', gb: { strength_MPa: 2000, Gc_J_m2: 40 } },
          solver: { crack_blocks_diffusion: true, cycle_jump: { enabled: false } },
        },
      ),
    );
    const sim = await Simulation.create(config);
    const { mesh } = sim.scenario;
    const state = sim.kernel.exportState();
    const m = sim.scenario.setup.interfaceMaterials[0];
    for (let i = 0; i < mesh.interfaceCount; i++)
      if (mesh.interfaceKind[i] === INTERFACE_GRAIN_BOUNDARY)
        for (const p of [2 * i, 2 * i + 1]) {
          state.damage[p] = 1;
          state.kappa[p] = (2 * m.Gc_J_m2) / m.strength_MPa;
        }
    sim.kernel.importState(state);
    const onSurface = new Set(Array.from(sim.scenario.fluxSegmentGrain.slice(0, sim.scenario.surfaceFluxSegments)));
    const interior = [...Array(mesh.grainCount).keys()].filter((g) => !onSurface.has(g));
    const li = () => grainLi(sim.scenario, sim.fields().x, new Float64Array(mesh.grainCount));
    const rows: StepRecord[] = [];
    // Li of every grain over the second charge (the first discharge and later legs are infiltrated)
    let chargeStart: Float64Array | null = null;
    let chargeEnd: Float64Array | null = null;
    let leg = sim.legKind;
    let infiltratedInDischarge = 0;
    await sim.run({
      onStep: (r) => {
        rows.push(r);
        if (r.cycle === 1 && sim.legKind === 'discharge' && leg !== 'discharge')
          infiltratedInDischarge = sim.cycling!.infiltrated.reduce((a, b) => a + b, 0);
        if (r.cycle === 1 && r.leg !== 'charge' && sim.legKind === 'charge') chargeStart = li().slice();
        if (r.cycle === 2 && r.leg === 'charge' && sim.legKind !== 'charge') chargeEnd = li().slice();
        leg = sim.legKind;
      },
    });
    return {
      sim,
      rows,
      interior,
      chargeStart: chargeStart!,
      chargeEnd: chargeEnd!,
      infiltratedInDischarge,
    };
  }

  for (const seed of [5, 13]) {
    it(`seed ${seed}: cracks joined to the surface take the flux, interior grains cycle, the current and the Li balance hold`, async () => {
      const dry = await allCracked(seed, false);
      const wet = await allCracked(seed, true);
      const gbElements = Array.from(wet.sim.scenario.mesh.interfaceKind).filter((k) => k === INTERFACE_GRAIN_BOUNDARY);
      expect(dry.infiltratedInDischarge).toBe(0);
      // every boundary is cracked and the crack network reaches the surface: all of it infiltrated
      expect(wet.infiltratedInDischarge).toBe(gbElements.length);
      expect(dry.interior.length).toBeGreaterThan(0);
      expect(dry.sim.cycles.every((c) => c.isolated_grains === dry.interior.length)).toBe(true);
      expect(wet.sim.cycles.every((c) => c.isolated_grains === 0)).toBe(true);
      for (const g of dry.interior) {
        // behind dry cracks an interior grain keeps its Li; wetted, it gives Li up on the next charge
        expect(dry.chargeEnd[g]).toBeWithin(dry.chargeStart[g], { rel: 1e-9 });
        expect(wet.chargeEnd[g]).toBeLessThan(wet.chargeStart[g] * (1 - 1e-2));
      }
      for (const run of [dry, wet]) {
        expect(run.rows.map((r) => r.mass_balance_error)).toBeCloseArray(0, { abs: 1e-10 });
        // the first step of the second charge carries the nominal current 0.5C, dSoC/dt = 0.5 / 3600 s, spread over
        // the surface and (wet) the infiltrated crack faces
        const k = run.rows.findIndex((r) => r.cycle === 2 && r.leg === 'charge');
        expect(run.rows[k].limited_segments).toBe(0);
        const rate = (run.rows[k].soc - run.rows[k - 1].soc) / run.rows[k].dt_s;
        expect(rate).toBeWithin(0.5 / 3600, { rel: 1e-9 });
      }
    });
  }
});
