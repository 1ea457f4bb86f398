/**
 * `chemofrac` command line (docs/cli.md):
 *
 *   chemofrac run    <config.json> [--out DIR]     one simulation
 *   chemofrac mesh   <config.json> --out mesh.vtu   only build and write the mesh (+ mesh_interfaces.vtu)
 *   chemofrac synthesize <config.json> --out DIR    calcination of the precursor particle (docs/synthesis.md), --resume
 *   chemofrac compare [--out DIR]                   the reference comparison (what `npm start` runs)
 *   chemofrac sweep  <sweep.json> [--out DIR] [--workers N] [--resume] [--shard i/N]   batch sweeps
 *   chemofrac sweep merge <dirs...> [--out DIR]     combine shard outputs
 *   chemofrac materials                             presets with units and provenance tags
 *   chemofrac schema                                the config JSON Schema
 *
 * Exit code 0 on success; 1 with a one-paragraph message (which key, what was wrong, what is allowed) on bad
 * input or a failed run; never a stack trace for a user error (set CHEMOFRAC_DEBUG=1 to see one).
 */
import { Command, CommanderError } from 'commander';
import { dirname, resolve } from 'node:path';
import { InputError, UserError } from '../errors.js';
import { readJsonFile } from '../io/read-json.js';
import { DEFAULT_MAX_CASES } from '../sweep/spec.js';
import { SimulationError } from '../engine/simulation.js';
import { runCommand } from './run.js';
import { meshCommand } from './mesh.js';
import { compareCommand } from './compare.js';
import { DEFAULT_MECHANISM_SEEDS, mechanismsCommand } from './mechanisms.js';
import { PARAMETER_PROVENANCE } from '../materials/presets.js';
import { configJsonSchema } from '../scenario/json-schema.js';
import { DEFAULT_MATERIAL_SET } from '../scenario/reference.js';
import { ENGINE_VERSION } from '../version.js';

function isUserError(e: unknown): boolean {
  return e instanceof InputError || e instanceof SimulationError;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command();
  program
    .name('chemofrac')
    .description(
      'Chemo-mechanical fracture of battery cathode particles: Li diffusion, lithiation strain and cohesive\n' +
        'grain-boundary damage on 2D Voronoi polycrystals (bare, MF-coated, porous).',
    )
    .version(ENGINE_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('run')
    .description('run one simulation from a config file; writes summary.json, history.csv and VTU snapshots')
    .argument('<config>', 'config JSON (keys: docs/config.md)')
    .option('-o, --out <dir>', 'output directory', 'results/run')
    .option('--kernel <kind>', 'numerical kernel: wasm (default) or ts (pure TypeScript baseline)')
    .option('-q, --quiet', 'no progress output')
    .option('--resume', 'continue the run in --out from its last checkpoint (same config)')
    .option('--force', 'replace a previous run in --out (its files are removed first)')
    .action(
      async (
        config: string,
        opts: { out: string; kernel?: string; quiet?: boolean; resume?: boolean; force?: boolean },
      ) => {
        exitCode = await runCommand(readJsonFile(config), { ...opts, configDir: dirname(resolve(config)) });
      },
    );

  program
    .command('mesh')
    .description('build the particle a config describes and write it for ParaView (+ <stem>_interfaces.vtu)')
    .argument('<config>', 'config JSON')
    .requiredOption('-o, --out <file.vtu>', 'output VTU file')
    .action(async (config: string, opts: { out: string }) => {
      await meshCommand(readJsonFile(config), opts);
    });

  // Synthesis (calcination) of the precursor particle (docs/synthesis.md).
  program
    .command('synthesize')
    .description(
      'calcine a precursor particle; writes summary.json, history.csv, profiles.csv, VTU snapshots and microstructure.json',
    )
    .argument('<config>', 'synthesis config JSON (keys: docs/synthesis.md)')
    .requiredOption('-o, --out <dir>', 'output directory')
    .option('--force', 'replace a previous run in --out (its files are removed first)')
    .option('--resume', 'continue the synthesis in --out from its last checkpoint (same config)')
    .option('-q, --quiet', 'no progress output')
    .action(async (config: string, opts: { out: string; force?: boolean; resume?: boolean; quiet?: boolean }) => {
      const { synthesizeCommand } = await import('./synthesize.js');
      exitCode = await synthesizeCommand(readJsonFile(config), opts);
    });

  program
    .command('compare')
    .description(
      'the reference comparison: bare vs MF-coated vs gradient-porous vs dense-porous (npm start); with ' +
        '--mechanisms, which mechanism carries each effect over several microstructures',
    )
    .option('-o, --out <dir>', 'output directory (default results, or results/mechanisms)')
    .option('--seed <n>', 'microstructure seed', '7')
    .option('--mechanisms', 'bare, coating-transport-only, strain-only, mf-coated, pores free vs electrolyte-filled')
    .option('--seeds <list>', `with --mechanisms: microstructure seeds (default ${DEFAULT_MECHANISM_SEEDS.join(',')})`)
    .option('--base <config.json>', 'with --mechanisms: geometry, microstructure, loading, solver for every variant')
    .option('--kernel <kind>', 'numerical kernel: wasm (default) or ts')
    .option(
      '--materials <set>',
      'grain materials: sourced (NMC811, default) or reference (the assumed NMC90 curves of the mechanofusion study)',
      DEFAULT_MATERIAL_SET,
    )
    .option('-w, --workers <n>', 'worker threads (default: cores, at most one per run)')
    .option('-q, --quiet', 'no progress output')
    .action(
      async (opts: {
        out?: string;
        seed: string;
        materials: string;
        kernel?: string;
        quiet?: boolean;
        workers?: string;
        mechanisms?: boolean;
        seeds?: string;
        base?: string;
      }) => {
        const materials = opts.materials;
        if (materials !== 'reference' && materials !== 'sourced')
          throw new UserError(`--materials: got "${materials}"; allowed: reference, sourced`);
        if (opts.mechanisms)
          exitCode = (await mechanismsCommand({ ...opts, materials, out: opts.out ?? 'results/mechanisms' })).exitCode;
        else {
          if (opts.seeds !== undefined || opts.base !== undefined)
            throw new UserError('--seeds and --base go with --mechanisms.');
          exitCode = (await compareCommand({ ...opts, materials, out: opts.out ?? 'results' })).exitCode;
        }
      },
    );

  // Batch sweeps (docs/sweeps.md): `sweep <sweep.json>` runs (default subcommand), `sweep merge` combines shards.
  const sweep = program
    .command('sweep')
    .usage('<sweep.json> [--out DIR] [--workers N] [--resume] [--shard i/N]  |  merge <dirs...> [--out DIR]')
    .description('batch parameter sweeps and ensembles on a worker pool; resumable, shardable');
  sweep
    .command('run', { isDefault: true })
    .description(
      'run a sweep file: one run directory per case, sweep.csv and ensemble.csv (chemofrac sweep <sweep.json>)',
    )
    .argument('<sweep>', 'sweep JSON (base config, axes, replicates; see docs/sweeps.md)')
    .option('-o, --out <dir>', 'output directory (default results/<sweep file name>)')
    .option('-w, --workers <n>', 'worker threads (default: number of cores)')
    .option('--resume', 'continue a sweep in --out: skip finished cases (matched by config hash)')
    .option('--shard <i/N>', 'run only the i-th of N disjoint slices (0 ≤ i < N) into <out>/shard-<i>-of-<N>')
    .option('-q, --quiet', 'no progress output')
    .option('--max-cases <n>', `refuse sweeps with more cases than this (default ${DEFAULT_MAX_CASES})`)
    .action(
      async (
        file: string,
        opts: { out?: string; workers?: string; resume?: boolean; shard?: string; quiet?: boolean; maxCases?: string },
      ) => {
        const { sweepCommand } = await import('../sweep/cli.js');
        exitCode = await sweepCommand(file, opts);
      },
    );
  sweep
    .command('merge')
    .description('combine shard outputs into the tables of a single-machine sweep')
    .argument('<dirs...>', 'shard output directories, or the parent directory holding shard-<i>-of-<N>/')
    .option('-o, --out <dir>', 'merged output directory (default: the one directory given)')
    .action(async (dirs: string[], opts: { out?: string }) => {
      const { sweepMergeCommand } = await import('../sweep/cli.js');
      sweepMergeCommand(dirs, opts);
    });

  program
    .command('materials')
    .description('print the material presets with units and provenance tags (S/L/D/A)')
    .action(() => {
      for (const [key, p] of Object.entries(PARAMETER_PROVENANCE))
        console.log(
          `${key.padEnd(36)} ${p.tag.padEnd(4)} ${JSON.stringify(p.value, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v))}` +
            `${p.note ? '  — ' + p.note : ''}` +
            (p.source ? `  [source: ${p.source}]` : ''),
        );
    });

  program
    .command('schema')
    .description('print the JSON Schema of the config file')
    .action(() => {
      console.log(JSON.stringify(configJsonSchema(), null, 2));
    });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (process.env.CHEMOFRAC_DEBUG) console.error(e);
    if (isUserError(e)) {
      console.error(`chemofrac: ${(e as Error).message}`);
      return 1;
    }
    console.error(
      `chemofrac: internal error: ${e instanceof Error ? e.message : String(e)} (set CHEMOFRAC_DEBUG=1 for details)`,
    );
    return 3;
  }
}
