/**
 * Defect 5: `--out /proc/foo` looped forever; `--out file/sub` and `--out existing-file` ended as internal errors
 * (ENOTDIR/EEXIST); `--out ""` wrote into the working directory. Now each is a one-paragraph error naming --out,
 * the path and the reason, exit 1.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, SMALL_RUN, tempDir, writeJson } from './support.js';

describe('bad output paths are user errors', () => {
  const config = writeJson(SMALL_RUN);
  const file = join(tempDir(), 'a-file');
  writeFileSync(file, 'x');
  const cases: [string, string, RegExp][] = [
    ['inside /proc', '/proc/chemofrac-test', /--out: "\/proc\/chemofrac-test" is inside a kernel file system/],
    ['below a file', join(file, 'sub'), /--out: cannot create the directory .*ENOTDIR/],
    ['an existing file', file, /--out: ".*a-file" is a file, not a directory/],
    ['empty', '', /--out: got an empty path/],
  ];
  for (const [what, out, message] of cases)
    it(`--out ${what}: exit 1 naming --out`, () => {
      const r = cli(['run', config, '--out', out, '--quiet']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error/);
    });
});
