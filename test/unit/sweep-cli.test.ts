/**
 * The sweep commands as a user meets them: a bad sweep file or option is a one-paragraph message naming the key
 * (exit code 1, no stack trace), before anything is written.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

afterEach(() => vi.restoreAllMocks());

async function cli(args: string[]): Promise<{ code: number; err: string }> {
  const errors: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const code = await main(['node', 'chemofrac', ...args]);
  return { code, err: errors.join('\n') };
}

describe('chemofrac sweep (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chemofrac-sweep-cli-'));
  const write = (name: string, value: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(value));
    return p;
  };

  it('names a bad axis key and writes nothing', async () => {
    const file = write('bad.json', {
      base: { microstructure: { grains: 8 } },
      axes: { grid: { 'porosity.centre': [0.1, 0.2] } },
    });
    const out = join(dir, 'out-bad');
    const { code, err } = await cli(['sweep', file, '--out', out, '-q']);
    expect(code).toBe(1);
    expect(err).toMatch(/^chemofrac: Sweep axis "porosity\.centre"/);
    expect(err).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects unknown sweep-file keys, bad --workers and bad --shard with one-line messages', async () => {
    const good = write('good.json', { base: {}, axes: { grid: { 'coating.thickness_um': [0.1] } } });
    const typo = write('typo.json', { base: {}, axis: {} });
    expect((await cli(['sweep', typo])).err).toMatch(/Invalid sweep file.*"axis"/);
    expect((await cli(['sweep', good, '--workers', '0'])).err).toMatch(/--workers: got "0"/);
    const r = await cli(['sweep', good, '--shard', '2/2']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--shard: got "2\/2"/);
    expect((await cli(['sweep', join(dir, 'missing.json')])).err).toMatch(/Cannot read the sweep file/);
    expect((await cli(['sweep', 'merge', join(dir, 'nowhere')])).err).toMatch(/not a sweep output directory/);
  });
});
