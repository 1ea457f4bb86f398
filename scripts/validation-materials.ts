/**
 * The validation trends with both material sets (docs/validation.md, "Default material: sourced vs reference"):
 * coated/bare on the small particle and gradient/dense on the reference particle, exactly the runs of
 * test/validation/, at SoC 0.55 and at the end, per seed. Run with `npx tsx scripts/validation-materials.ts`.
 */
import { runValidation, VALIDATION_SEEDS, mean } from '../test/validation/support.js';
import type { MaterialSet } from '../src/scenario/reference.js';

const f = (v: number) => v.toFixed(3);
const lines: string[] = [];
for (const materials of ['reference', 'sourced'] as MaterialSet[]) {
  const rows: Record<string, number[]> = {};
  for (const [a, b, size] of [
    ['mf-coated', 'bare', 'small'],
    ['gradient-porous', 'dense-porous', 'reference'],
  ] as const) {
    for (const seed of VALIDATION_SEEDS) {
      const ra = await runValidation(a, seed, size, materials);
      const rb = await runValidation(b, seed, size, materials);
      const key = `${a}/${b}`;
      (rows[`${key} @0.55`] ??= []).push(ra.at055.damage_mean / rb.at055.damage_mean);
      (rows[`${key} end`] ??= []).push(ra.end.damage_mean / rb.end.damage_mean);
      (rows[`${b} D̄ @0.55`] ??= []).push(rb.at055.damage_mean);
      (rows[`${a} D̄ @0.55`] ??= []).push(ra.at055.damage_mean);
      (rows[`${b} x_std @0.55`] ??= []).push(rb.at055.x_std);
      (rows[`${a} x_std @0.55`] ??= []).push(ra.at055.x_std);
      if (a === 'mf-coated') (rows[`coating hoop @0.55`] ??= []).push(ra.at055.coating_hoop_MPa);
      process.stderr.write(
        `${materials} seed ${seed} ${key}: @0.55 ${f(ra.at055.damage_mean)} / ${f(rb.at055.damage_mean)}, end ${f(ra.end.damage_mean)} / ${f(rb.end.damage_mean)}, mass ${Math.max(ra.maxMassBalanceError, rb.maxMassBalanceError).toExponential(1)}\n`,
      );
    }
  }
  lines.push(
    `### ${materials}`,
    '',
    `| quantity | ${VALIDATION_SEEDS.join(' | ')} | mean |`,
    `|---|${VALIDATION_SEEDS.map(() => '---').join('|')}|---|`,
  );
  for (const [k, v] of Object.entries(rows)) lines.push(`| ${k} | ${v.map(f).join(' | ')} | ${f(mean(v))} |`);
  lines.push('');
}
console.log(lines.join('\n'));
