/**
 * Cycling figure (docs/physics.md §9): 100 cycles of the reference bare quarter (seed 7, 100 grains, h = 0.15 µm),
 * 1C charge to SoC 1 / 1C discharge to SoC 0, with cycle jumps (the default) and fully resolved
 * (`solver.cycle_jump.enabled: false`), one thread, WASM kernel: wall time, computed cycles, steps, D̄ and retention
 * at cycles 1, 30 and 100. `npx tsx bench/cycling.ts [--cycles N] [--resolved-cycles K]` (part of `npm run bench
 * -- --only cycling`); K < N runs the resolved comparison over the first K cycles only and says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/scenario/resolve.js';
import { referenceConfig } from '../src/scenario/reference.js';
import { runToDirectory } from '../src/cli/run.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

function cyclingConfig(cycles: number, jumps: boolean) {
  return resolveConfig(
    referenceConfig('bare', 7, {
      name: jumps ? 'cycling-jumps' : 'cycling-resolved',
      loading: {
        protocol: 'cycling',
        cycles,
        charge: { c_rates: 1, to_soc: 1 },
        discharge: { c_rates: 1, to_soc: 0 },
      },
      output: { vtu: false, cycles: [...new Set([1, Math.min(30, cycles), cycles])] },
      solver: { cycle_jump: { enabled: jumps, max_damage_increment: 0.02 } },
    }),
  );
}

export async function benchCycling(cycles = 100, resolvedCycles = cycles): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'chemofrac-bench-cycling-'));
  const rows: string[] = [];
  try {
    for (const [jumps, n] of [
      [true, cycles],
      [false, resolvedCycles],
    ] as const) {
      const { sim, wall_s } = await runToDirectory(cyclingConfig(n, jumps), join(dir, String(jumps)), {
        quiet: true,
      });
      const at = (k: number) => sim.cycles.find((c) => c.cycle === k);
      const fmt = (k: number, f: (c: NonNullable<ReturnType<typeof at>>) => number) => {
        const c = at(k);
        return c ? f(c).toFixed(4) : '–';
      };
      const computed = sim.cycles.filter((c) => c.resolved === 1).length;
      rows.push(
        `| ${jumps ? 'jumps (max ΔD 0.02)' : 'resolved'} | ${n} | ${computed} | ${sim.stepCount} | ${wall_s.toFixed(1)} | ${(wall_s / computed).toFixed(2)} | ` +
          `${fmt(1, (c) => c.damage_mean)} / ${fmt(30, (c) => c.damage_mean)} / ${fmt(n, (c) => c.damage_mean)} | ` +
          `${fmt(30, (c) => c.retention)} / ${fmt(n, (c) => c.retention)} | ${at(n)?.class ?? '–'} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return (
    'Reference bare quarter (seed 7, 100 grains, h = 0.15 µm), 1C charge to SoC 1 / 1C discharge to SoC 0, no rest, ' +
    'WASM kernel, one thread.\n\n' +
    '| run | cycles | computed cycles | steps | wall s | wall s per computed cycle | D̄ at 1 / 30 / last | retention at 30 / last | class at last |\n' +
    '|---|---|---|---|---|---|---|---|---|\n' +
    rows.join('\n') +
    '\n'
  );
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(await benchCycling(arg('--cycles', 100), arg('--resolved-cycles', arg('--cycles', 100))));
