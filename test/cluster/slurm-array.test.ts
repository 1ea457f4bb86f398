/**
 * examples/cluster/slurm-sweep.sh on a real single-node Slurm: scripts/slurm-local.sh installs Debian's slurm-wlm
 * and munge when they are missing, starts munged, slurmctld and slurmd on 127.0.0.1 from a temporary directory,
 * and stops them (and removes that directory) in afterAll, also when the test fails.
 *
 * A sweep of 4 tiny cases (2 boundary strengths × 2 microstructure seeds; quarter, R = 2 µm, h = 0.25 µm,
 * 6 grains, charged at 1C to SoC 0.2) is submitted as it is, as a 2-task job array:
 *
 *   sbatch --array=0-1 --cpus-per-task=1 --chdir=<repo> --output=<tmp>/logs-task-%A_%a.out \
 *     --export=ALL,CHEMOFRAC_SWEEP=<tmp>/sweep.json,CHEMOFRAC_OUT=<tmp>/array,CHEMOFRAC=<the CLI from src/> \
 *     examples/cluster/slurm-sweep.sh
 *
 * Round robin puts cases 0 and 2 in shard 0, 1 and 3 in shard 1, so every sweep point's two replicates come from
 * different tasks and the merged ensemble statistics combine both shards. Once squeue shows the array gone and
 * scontrol reports both tasks COMPLETED with exit code 0, `chemofrac sweep merge` combines the shards, and the
 * merged sweep.csv and ensemble.csv must equal those of `chemofrac sweep` of the same file on one machine, row for
 * row and cell for cell, except the columns in MACHINE_DEPENDENT_COLUMNS.
 *
 * When Slurm cannot be installed or started here (no apt, not root, the Debian archive unreachable): in CI
 * (CI=true) the test fails with the script's message; elsewhere it is skipped with that message printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SLURM_LOCAL = join(REPO, 'scripts/slurm-local.sh');
const IN_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** Columns that differ between two runs of the same case for reasons other than the results: wall-clock time. */
const MACHINE_DEPENDENT_COLUMNS = ['wall_s'];

const SWEEP = {
  name: 'slurm-array',
  base: {
    geometry: { shape: 'quarter', radius_um: 2, mesh_size_um: 0.25 },
    microstructure: { grains: 6 },
    material: 'nmc90-bare',
    loading: { c_rates: 1, to_soc: 0.2 },
    output: { vtu: false, snapshots_soc: [] },
  },
  axes: { grid: { 'material.gb.strength_MPa': [120, 400] } },
  replicates: { count: 2, seed_start: 3 },
};
const TASKS = 2;
/** Bound on the array's run (queueing, two shards of two tiny cases each, on a loaded 2-core machine). */
const ARRAY_TIMEOUT_MS = 240_000;

/** Parse a CSV line (quoted cells may hold commas and doubled quotes). */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

function table(path: string): { columns: string[]; rows: Record<string, string>[] } {
  const [head, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const columns = splitCsv(head);
  return { columns, rows: lines.map((l) => Object.fromEntries(splitCsv(l).map((v, i) => [columns[i], v]))) };
}

const drop = (row: Record<string, string>) =>
  Object.fromEntries(Object.entries(row).filter(([k]) => !MACHINE_DEPENDENT_COLUMNS.includes(k)));

/** The environment for Slurm's clients and the jobs: the test runner's variables left out. */
function jobEnv(slurmConf: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'TEST') env[k] = v;
  return { ...env, SLURM_CONF: slurmConf };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeout = 60_000) {
  const r = spawnSync(cmd, args, { cwd: REPO, env, encoding: 'utf8', timeout });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Slurm job array: examples/cluster/slurm-sweep.sh on a single-node Slurm', () => {
  const tmp = mkdtempSync('/tmp/chemofrac-slurm-test-');
  const clusterDir = join(tmp, 'slurm');
  let unavailable = '';
  let started = false;

  beforeAll(() => {
    const r = spawnSync('bash', [SLURM_LOCAL, 'start', clusterDir], { encoding: 'utf8', timeout: 540_000 });
    if (r.status === 0) {
      started = true;
      return;
    }
    // the script's own message (its last line) first, then the daemons' log tails it printed
    const lines = (r.stderr || r.stdout || r.error?.message || '').trim().split('\n');
    const logTail = lines.slice(Math.max(0, lines.length - 21), -1).join('\n');
    unavailable =
      `scripts/slurm-local.sh start failed (exit ${r.status ?? r.signal}): ${lines[lines.length - 1]}` +
      (logTail ? `\n${logTail}` : '');
    if (!IN_CI) console.warn(`[cluster] skipping the Slurm job-array test (CI would fail): ${unavailable}`);
  }, 600_000);

  afterAll(() => {
    if (started) spawnSync('bash', [SLURM_LOCAL, 'stop', clusterDir], { encoding: 'utf8', timeout: 60_000 });
    rmSync(tmp, { recursive: true, force: true });
  }, 90_000);

  it('runs the sweep as a 2-task array; the merged tables equal a single-machine sweep', async (ctx) => {
    if (unavailable) {
      if (IN_CI) throw new Error(`Slurm is required in CI for this test: ${unavailable}`);
      ctx.skip();
    }
    const env = jobEnv(join(clusterDir, 'slurm.conf'));
    const sweepFile = join(tmp, 'sweep.json');
    writeFileSync(sweepFile, JSON.stringify(SWEEP, null, 2));
    // The CLI from src/ (as the other CLI tests run it): the job's working directory is the repository, where
    // `--import tsx` (also in the sweep's worker threads) resolves.
    const cli = join(tmp, 'chemofrac.mjs');
    writeFileSync(
      cli,
      `import { main } from ${JSON.stringify(join(REPO, 'src/cli/main.ts'))};\n` +
        `process.exit(await main(['node', 'chemofrac', ...process.argv.slice(2)]));\n`,
    );
    const chemofrac = ['node', '--import', 'tsx', cli];
    const arrayOut = join(tmp, 'array');

    const jobId = run(
      'sbatch',
      [
        '--parsable',
        `--array=0-${TASKS - 1}`,
        '--cpus-per-task=1',
        `--chdir=${REPO}`,
        `--output=${join(tmp, 'logs-task-%A_%a.out')}`,
        `--export=ALL,CHEMOFRAC_SWEEP=${sweepFile},CHEMOFRAC_OUT=${arrayOut},CHEMOFRAC=${chemofrac.join(' ')}`,
        join(REPO, 'examples/cluster/slurm-sweep.sh'),
      ],
      env,
    )
      .trim()
      .split(';')[0];
    expect(jobId).toMatch(/^\d+$/);

    // Wait until the array has left the queue (no slurmdbd here, so no sacct: squeue, then scontrol).
    const t0 = Date.now();
    const taskLogs = () =>
      readdirSync(tmp)
        .filter((f) => f.startsWith('logs-task-'))
        .map((f) => `--- ${f}\n${readFileSync(join(tmp, f), 'utf8')}`)
        .join('\n');
    while (run('squeue', ['-h', '-j', jobId, '-o', '%i %T'], env).trim()) {
      if (Date.now() - t0 > ARRAY_TIMEOUT_MS) {
        spawnSync('scancel', [jobId], { env });
        throw new Error(`job array ${jobId} not finished after ${ARRAY_TIMEOUT_MS / 1000} s\n${taskLogs()}`);
      }
      await sleep(1000);
    }
    const records = run('scontrol', ['-o', 'show', 'job', jobId], env).trim().split('\n');
    const tasks = records.map((rec) => ({
      task: /ArrayTaskId=(\d+)/.exec(rec)?.[1],
      state: /JobState=(\S+)/.exec(rec)?.[1],
      exit: /ExitCode=(\S+)/.exec(rec)?.[1],
    }));
    expect(
      tasks.sort((a, b) => Number(a.task) - Number(b.task)),
      taskLogs(),
    ).toEqual(Array.from({ length: TASKS }, (_, i) => ({ task: String(i), state: 'COMPLETED', exit: '0:0' })));
    // each task ran its own shard, with SLURM_ARRAY_TASK_COUNT as N
    for (let i = 0; i < TASKS; i++) {
      expect(readFileSync(join(tmp, `logs-task-${jobId}_${i}.out`), 'utf8')).toMatch(
        new RegExp(`shard ${i}/${TASKS}: 2 of 4 cases; 2 completed, 0 failed`),
      );
      expect(existsSync(join(arrayOut, `shard-${i}-of-${TASKS}`, 'sweep-manifest.json'))).toBe(true);
    }

    run(chemofrac[0], [...chemofrac.slice(1), 'sweep', 'merge', arrayOut], env);
    const single = join(tmp, 'single');
    run(
      chemofrac[0],
      [...chemofrac.slice(1), 'sweep', sweepFile, '--out', single, '--workers', '2', '--quiet'],
      env,
      240_000,
    );

    const merged = table(join(arrayOut, 'sweep.csv'));
    const alone = table(join(single, 'sweep.csv'));
    expect(merged.columns).toEqual(alone.columns);
    for (const c of MACHINE_DEPENDENT_COLUMNS) expect(merged.columns).toContain(c);
    expect(merged.rows.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(merged.rows.map(drop)).toEqual(alone.rows.map(drop));
    // the merged run directories (links into the shards) hold the runs
    for (const row of merged.rows) expect(existsSync(join(arrayOut, row.run_dir, 'summary.json'))).toBe(true);

    const mergedEnsemble = table(join(arrayOut, 'ensemble.csv'));
    const aloneEnsemble = table(join(single, 'ensemble.csv'));
    expect(mergedEnsemble.rows.map((r) => r.completed)).toEqual(['2', '2']);
    expect(mergedEnsemble.columns).toEqual(aloneEnsemble.columns);
    expect(mergedEnsemble.rows.map(drop)).toEqual(aloneEnsemble.rows.map(drop));
  }, 420_000);
});
