/**
 * A synthesized particle charged by the engine (docs/synthesis.md §9): the charge key
 * `"microstructure": { "from_synthesis": … }`, its errors, and what the particle becomes — voids as pores, rock salt
 * as inactive grains that exchange no Li (conservation over a charge), merged grains as one grain.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynthesisToDirectory } from '../../src/synthesis/run.js';
import { readSynthesizedCharge, synthesizedGrainSets, withSynthesisMesh } from '../../src/synthesis/charge.js';
import { parseSynthesisConfig, SynthesisConfigError } from '../../src/synthesis/config.js';
import { buildSynthesisMesh } from '../../src/synthesis/mesh.js';
import { ConfigError, resolveConfig } from '../../src/scenario/resolve.js';
import { Simulation } from '../../src/engine/simulation.js';
import { checkMesh } from '../../src/mesh/validate.js';
import { hexagonalStiffness_GPa, INACTIVE_ROCK_SALT } from '../../src/materials/presets.js';
import { main } from '../../src/cli/main.js';
import { solidSnapshotPiece } from '../../src/io/snapshot-vtu.js';
import { expandCases, parseSweepSpec } from '../../src/sweep/spec.js';
import { runCase } from '../../src/sweep/case-runner.js';

const synthesisConfig = (seed: number) => ({
  geometry: { radius_um: 2, mesh_size_um: 0.25 },
  microstructure: { grains: 12, seed },
  synthesis: {
    preset: 'ncm90-bare',
    temperature_program: { start_C: 250, steps: [{ ramp_C_per_min: 20, to_C: 400 }] },
    output: { vtu: false },
  },
});

type MicrostructureFile = {
  grains: { grain: number; area_um2: number; lithiated: number; rock_salt: number; void: number }[];
  merged_groups: number[][];
  boundaries: { grain_a: number; grain_b: number; length_um: number }[];
  mesh: { hash_sha256: string };
  engine_version: string;
};

const root = mkdtempSync(join(tmpdir(), 'chemofrac-synth-charge-'));
const written = (name: string, data: unknown) => {
  const p = join(root, name);
  writeFileSync(p, JSON.stringify(data));
  return p;
};

describe('charging a synthesized particle', async () => {
  const dir = join(root, 'synth');
  const { model } = await runSynthesisToDirectory(synthesisConfig(5), dir);
  const file = join(dir, 'microstructure.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as MicrostructureFile;
  const synthMesh = model.mesh;

  /**
   * A controlled particle on the same mesh: one grain all void (→ a pore), two grains all rock salt (→ inactive),
   * one pair of neighbouring active grains merged, every other grain lithiated, no void.
   */
  const pairs = data.boundaries.filter((b) => b.length_um > 0.3).map((b) => [b.grain_a, b.grain_b]);
  const [ma, mb] = pairs[0];
  const others = data.grains.map((g) => g.grain).filter((g) => g !== ma && g !== mb);
  const poreGrain = others[others.length - 1];
  const inactive = others.slice(0, 2);
  const controlled = {
    ...data,
    grains: data.grains.map((g) => ({
      ...g,
      lithiated: inactive.includes(g.grain) ? 0.1 : 1,
      rock_salt: inactive.includes(g.grain) ? 0.9 : 0,
      void: g.grain === poreGrain ? 0.6 : 0, // > 1/2: one whole grain's worth of void
      merged_into: g.grain === mb ? ma : g.grain,
    })),
    merged_groups: [[ma, mb]],
  };
  const controlledFile = written('controlled.json', controlled);

  it('errors name the key: missing file, another mesh or engine version, a conflicting mesh key, porosity', () => {
    const charge = (c: object) => () => withSynthesisMesh(c, root);
    expect(charge({ microstructure: { from_synthesis: 'nowhere.json' } })).toThrow(ConfigError);
    expect(charge({ microstructure: { from_synthesis: 'nowhere.json' } })).toThrow(
      /microstructure\.from_synthesis: .*nowhere\.json.*ENOENT/,
    );
    const old = written('old.json', { ...data, engine_version: '0.0.1' });
    expect(charge({ microstructure: { from_synthesis: old } })).toThrow(/microstructure\.from_synthesis: .*0\.0\.1/);
    expect(charge({ geometry: { radius_um: 3 }, microstructure: { from_synthesis: file } })).toThrow(
      /geometry\.radius_um: got 3; the synthesized particle .* has 2/,
    );
    expect(charge({ microstructure: { seed: 6, from_synthesis: file } })).toThrow(/microstructure\.seed: got 6/);
    // keys that agree with the file, and the charge's own pore_fill, are accepted
    expect(
      charge({
        geometry: { radius_um: 2 },
        microstructure: { seed: 5, pore_fill: 'electrolyte', from_synthesis: file },
      }),
    ).not.toThrow();
    expect(() => resolveConfig({ porosity: 'dense', microstructure: { from_synthesis: file } })).toThrow(
      /porosity: is given with microstructure\.from_synthesis/,
    );
    // a file computed on another mesh (same keys, other hash): refused when the overlay is built
    const foreign = written('foreign.json', { ...data, mesh: { ...data.mesh, hash_sha256: 'f'.repeat(64) } });
    expect(() => readSynthesizedCharge({ microstructure: { from_synthesis: foreign } }, root)).toThrow(
      /microstructure\.from_synthesis: .*another mesh/,
    );
    // the engine reads no files: a resolved config with the key needs the overlay
    const { resolved } = readSynthesizedCharge({ microstructure: { from_synthesis: file } }, root);
    expect(resolved.microstructure.from_synthesis).toBe(file);
    return expect(Simulation.create(resolved)).rejects.toThrow(/microstructure\.from_synthesis: this entry point/);
  });

  it('a synthesis config cannot itself load a synthesized particle', () => {
    const c = synthesisConfig(5);
    expect(() => parseSynthesisConfig({ ...c, microstructure: { ...c.microstructure, from_synthesis: file } })).toThrow(
      SynthesisConfigError,
    );
  });

  it('the synthesis output maps onto pores, inactive grains and merged groups by its own rules', () => {
    const sets = synthesizedGrainSets(data as never);
    const voidArea = data.grains.reduce((s, g) => s + g.void * g.area_um2, 0);
    const poreArea = sets.poreGrains.reduce((s, g) => s + data.grains[g].area_um2, 0);
    // pores: whole grains, the removed area within half the largest grain of the void area
    const largest = Math.max(...data.grains.map((g) => g.area_um2));
    expect(Math.abs(poreArea - voidArea)).toBeLessThanOrEqual(largest / 2);
    // the pores are taken in descending void: a grain with more void than a pore was skipped only because it
    // would overshoot the void area (A/2 > what was left to remove)
    const minPoreVoid = Math.min(...sets.poreGrains.map((g) => data.grains[g].void));
    for (const g of data.grains)
      if (!sets.poreGrains.includes(g.grain) && g.void > minPoreVoid)
        expect(g.area_um2 / 2).toBeGreaterThan(voidArea - poreArea);
    for (const g of sets.inactiveGrains)
      expect(data.grains[g].rock_salt > 0.5 || sets.mergedGroups.some((m) => m.includes(g))).toBe(true);
    for (const m of sets.mergedGroups) for (const g of m) expect(sets.poreGrains).not.toContain(g);
    // without the merges (a sensitivity): the same pores, each grain inactive by its own rock-salt fraction
    const alone = synthesizedGrainSets(data as never, { merges: false });
    expect(alone.poreGrains).toEqual(sets.poreGrains);
    expect(alone.mergedGroups).toEqual([]);
    expect(alone.inactiveGrains).toEqual(
      data.grains.filter((g) => !sets.poreGrains.includes(g.grain) && g.rock_salt > 0.5).map((g) => g.grain),
    );
  });

  it('void → pore, rock salt → inactive (no Li exchange over a charge), merged → one grain without a boundary', async () => {
    const { resolved, charge } = readSynthesizedCharge(
      {
        microstructure: { from_synthesis: controlledFile },
        loading: { c_rates: 1, to_soc: 0.6 },
        output: { vtu: false },
      },
      root,
    );
    expect(charge!.poreGrains).toEqual([poreGrain]);
    expect(charge!.inactiveGrains).toEqual(inactive);
    expect(charge!.mergedGroups).toEqual([[ma, mb]]);
    const sim = await Simulation.create(resolved, { synthesized: charge!.synthesized });
    const mesh = sim.scenario.mesh;
    expect(checkMesh(mesh)).toEqual([]);
    // the pore: its cell is gone, the others are there; pore walls exist; the porosity is the grain's area share
    const cellOf = (g: number) => synthMesh.grainCell![g];
    const isolated = mesh.stats.isolatedGrains;
    expect(isolated).toEqual([]);
    expect([...mesh.grainCell!]).not.toContain(cellOf(poreGrain));
    expect(mesh.grainCount).toBe(synthMesh.grainCount - 2); // one pore, one pair merged
    expect(mesh.poreWallCount).toBeGreaterThan(0);
    const particleArea = synthMesh.grainArea_um2.reduce((s, a) => s + a, 0);
    expect(mesh.stats.porosity).toBeWithin(synthMesh.grainArea_um2[poreGrain] / particleArea, { rel: 1e-9 });
    // merged: the boundary elements between the pair are gone (and only those), the GB length drops by theirs
    const between = (m: typeof synthMesh) => {
      let n = 0;
      for (let i = 0; i < m.interfaceCount; i++) {
        const a = m.interfaceGrainA[i];
        const b = m.interfaceGrainB[i];
        if ((a === ma && b === mb) || (a === mb && b === ma)) n++;
      }
      return n;
    };
    const poreInterfaces = (() => {
      let n = 0;
      for (let i = 0; i < synthMesh.interfaceCount; i++)
        if (synthMesh.interfaceGrainA[i] === poreGrain || synthMesh.interfaceGrainB[i] === poreGrain) n++;
      return n;
    })();
    expect(between(synthMesh)).toBeGreaterThan(0);
    expect(mesh.interfaceCount).toBe(synthMesh.interfaceCount - between(synthMesh) - poreInterfaces);
    const pairLength = data.boundaries.find(
      (b) => b.grain_a === Math.min(ma, mb) && b.grain_b === Math.max(ma, mb),
    )!.length_um;
    const poreLength = data.boundaries
      .filter((b) => b.grain_a === poreGrain || b.grain_b === poreGrain)
      .reduce((s, b) => s + b.length_um, 0);
    expect(mesh.stats.grainBoundaryLength_um).toBeWithin(
      synthMesh.stats.grainBoundaryLength_um - pairLength - poreLength,
      { rel: 1e-9 },
    );
    // inactive: the rock-salt material (its own stiffness, D = 0, no lattice strain) on exactly their triangles
    const inactiveMaterial = sim.scenario.setup.materials.length - 1;
    const C = hexagonalStiffness_GPa(INACTIVE_ROCK_SALT.elasticity);
    expect(sim.scenario.setup.materials[inactiveMaterial].C11_MPa).toBeWithin(C.C11 * 1e3, { rel: 1e-12 });
    expect(sim.scenario.setup.materials[inactiveMaterial].D_ab_um2_s).toBe(0);
    const inactiveCells = inactive.map(cellOf);
    let inactiveTris = 0;
    let inactiveArea = 0;
    for (let t = 0; t < mesh.triCount; t++) {
      const isIn = inactiveCells.includes(mesh.grainCell![mesh.triGrain[t]]);
      expect(sim.scenario.setup.triMaterial[t] === inactiveMaterial).toBe(isIn);
      if (isIn) {
        inactiveTris++;
        inactiveArea += sim.scenario.triArea_um2[t];
      }
    }
    expect(inactiveTris).toBeGreaterThan(0);
    const solid = sim.scenario.triArea_um2.reduce((s, a) => s + a, 0);
    expect(sim.scenario.solidArea_um2).toBeWithin(solid - inactiveArea, { rel: 1e-12 });

    await sim.run({});
    expect(sim.endReason).toBe('to_soc');
    // no Li change in the inactive grains: x stays at its start (1) on every one of their nodes
    const x = new Float64Array(mesh.nodeCount);
    const li = sim.kernel.li();
    for (let i = 0; i < mesh.nodeCount; i++) x[i] = li[sim.scenario.setup.diffusionDof[i]];
    let activeMin = Infinity;
    let inactiveDrift = 0;
    for (let t = 0; t < mesh.triCount; t++) {
      for (let k = 0; k < 3; k++) {
        const xi = x[mesh.triNodes[3 * t + k]];
        if (sim.scenario.triInactive[t]) inactiveDrift = Math.max(inactiveDrift, Math.abs(xi - 1));
        else activeMin = Math.min(activeMin, xi);
      }
    }
    expect(inactiveDrift).toBeLessThan(1e-12); // round-off of the linear solve (M x¹ = M x⁰ there)
    expect(activeMin).toBeLessThan(0.9); // the active grains did charge
    // conservation: the Li that left is the SoC of the active grains, at every step
    for (const rec of sim.history) expect(Math.abs(rec.mass_balance_error)).toBeLessThan(1e-10);
    let ix = 0;
    for (let t = 0; t < mesh.triCount; t++) {
      if (sim.scenario.triInactive[t]) continue;
      const n = mesh.triNodes;
      ix += (sim.scenario.triArea_um2[t] * (x[n[3 * t]] + x[n[3 * t + 1]] + x[n[3 * t + 2]])) / 3;
    }
    expect(ix / sim.scenario.solidArea_um2).toBeWithin(1 - 0.6 * resolved.loading.delta_x_1C, { abs: 1e-10 });
    // the snapshot marks them (cell data `inactive`)
    const marked = solidSnapshotPiece(mesh, sim.fields()).cellData!.find((d) => d.name === 'inactive')!.data;
    expect(Array.from(marked)).toEqual(Array.from(sim.scenario.triInactive));
    sim.kernel.dispose();
  });

  it('the WebAssembly kernel and the TypeScript oracle agree on a particle with inactive grains', async () => {
    // ten steps from the start (whole adaptive runs may take different step sequences once boundaries snap, for
    // any particle; the kernels' contract is per solve). Δt follows the computed x (the load-increment bound of
    // Simulation.adaptDt), so the kernels' round-off reaches the step times: equal to 1e-12, not bit for bit.
    const run = async (kernel: 'wasm' | 'ts') => {
      const { resolved, charge } = readSynthesizedCharge(
        { microstructure: { from_synthesis: controlledFile }, loading: { c_rates: 1 }, solver: { kernel } },
        root,
      );
      const sim = await Simulation.create(resolved, { synthesized: charge!.synthesized });
      for (let k = 0; k < 10; k++) sim.step();
      const f = sim.fields();
      const out = { x: Float64Array.from(f.x), u: Float64Array.from(f.displacement_um), time: sim.time_s };
      sim.kernel.dispose();
      return out;
    };
    const wasm = await run('wasm');
    const ts = await run('ts');
    expect(Math.abs(ts.time - wasm.time)).toBeLessThan(1e-12 * wasm.time);
    expect(ts.x).toBeCloseArray(wasm.x, { abs: 1e-12 });
    const uMax = Math.max(...wasm.u.map(Math.abs));
    expect(uMax).toBeGreaterThan(0);
    expect(ts.u).toBeCloseArray(wasm.u, { abs: 1e-9 * uMax });
  });

  it('a synthesis mesh with nothing changed is the synthesis mesh, node for node', async () => {
    const plain = written('plain.json', {
      ...data,
      grains: data.grains.map((g) => ({ ...g, lithiated: 1, rock_salt: 0, void: 0, merged_into: g.grain })),
      merged_groups: [],
    });
    const { resolved, charge } = readSynthesizedCharge({ microstructure: { from_synthesis: plain } }, root);
    const sim = await Simulation.create(resolved, { synthesized: charge!.synthesized, kernel: undefined });
    const again = buildSynthesisMesh(parseSynthesisConfig(synthesisConfig(5)));
    expect(sim.scenario.mesh.coords_um).toEqual(again.coords_um);
    expect(sim.scenario.mesh.grainOrientation_rad).toEqual(again.grainOrientation_rad);
    sim.kernel.dispose();
  });
});

describe('end to end: chemofrac synthesize, then chemofrac run on its microstructure.json', () => {
  it('synthesizes a small particle and charges it (relative path from the config file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chemofrac-synth-e2e-'));
    const sc = join(dir, 'synthesis.json');
    // the preset program (to 500 °C, 60 min hold): a particle with lithiated surface grains
    const c = synthesisConfig(7);
    writeFileSync(sc, JSON.stringify({ ...c, synthesis: { preset: 'ncm90-wo3-ald', output: { vtu: false } } }));
    expect(await main(['node', 'chemofrac', 'synthesize', sc, '--out', join(dir, 'synth'), '--quiet'])).toBe(0);
    const cc = join(dir, 'charge.json');
    writeFileSync(
      cc,
      JSON.stringify({
        microstructure: { from_synthesis: 'synth/microstructure.json', pore_fill: 'electrolyte' },
        loading: { c_rates: 1, to_soc: 0.5 },
        output: { vtu: false },
      }),
    );
    expect(await main(['node', 'chemofrac', 'run', cc, '--out', join(dir, 'charge'), '--quiet'])).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'charge', 'summary.json'), 'utf8'));
    expect(summary.status).toBe('completed');
    expect(summary.resolved_config.microstructure.from_synthesis).toBe(join(dir, 'synth', 'microstructure.json'));
    expect(summary.resolved_config.geometry.radius_um).toBe(2);
    const rows = readFileSync(join(dir, 'charge', 'history.csv'), 'utf8')
      .trim()
      .split('\n');
    const header = rows[0].split(',');
    const last = rows[rows.length - 1].split(',');
    expect(Number(last[header.indexOf('soc')])).toBeWithin(0.5, { abs: 1e-9 });
    expect(Math.abs(Number(last[header.indexOf('mass_balance_error')]))).toBeLessThan(1e-10);
    const sp = summary.synthesized_particle;
    expect(sp.from_synthesis).toBe(join(dir, 'synth', 'microstructure.json'));
    expect(sp.li_host_area_um2 + sp.inactive_area_um2).toBeWithin(summary.mesh.solid_area_um2, { rel: 1e-12 });
    // summary.json's config fed back (absolute path, every key filled in) repeats the run
    const again = join(dir, 'again.json');
    writeFileSync(again, JSON.stringify(summary.config));
    expect(await main(['node', 'chemofrac', 'run', again, '--out', join(dir, 'again'), '--quiet'])).toBe(0);
    expect(readFileSync(join(dir, 'again', 'history.csv'), 'utf8')).toBe(
      readFileSync(join(dir, 'charge', 'history.csv'), 'utf8'),
    );
  });
});

describe('a sweep over a synthesized particle', () => {
  it('a base config file with a relative from_synthesis: every case charges the synthesized particle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chemofrac-synth-sweep-'));
    const c = synthesisConfig(8);
    await runSynthesisToDirectory(
      { ...c, synthesis: { preset: 'ncm90-bare', output: { vtu: false } } },
      join(dir, 'synth'),
    );
    writeFileSync(
      join(dir, 'base.json'),
      JSON.stringify({
        microstructure: { from_synthesis: 'synth/microstructure.json' },
        loading: { to_soc: 0.2 },
        output: { vtu: false, snapshots_soc: [] },
      }),
    );
    const spec = parseSweepSpec(
      { base: 'base.json', axes: { grid: { 'loading.c_rates': [0.5, 1] } } },
      join(dir, 'sweep.json'),
    );
    const cases = expandCases(spec);
    expect(cases.length).toBe(2);
    const results = [];
    for (const k of cases) {
      expect(k.config.microstructure.from_synthesis).toBe(join(dir, 'synth', 'microstructure.json'));
      expect(k.config.geometry.radius_um).toBe(2);
      results.push(await runCase({ hash: k.hash, index: k.index, config: k.config, dir: join(dir, `case${k.index}`) }));
    }
    for (const r of results) {
      expect(r.error).toBeNull();
      expect(r.status).toBe('completed');
      expect(r.end!.soc).toBeWithin(0.2, { abs: 1e-9 });
    }
    const summary = JSON.parse(readFileSync(join(dir, 'case0', 'summary.json'), 'utf8'));
    expect(summary.synthesized_particle.from_synthesis).toBe(join(dir, 'synth', 'microstructure.json'));
  });
});
