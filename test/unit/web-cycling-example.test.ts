/** The browser's "cycling" particle type is examples/cycling-small.json, and it resolves as a cycling run. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/index.js';
import { CYCLING_EXAMPLE } from '../../web/src/cycle-view.js';

describe('web cycling example', () => {
  it('equals examples/cycling-small.json and resolves to a 10-cycle cycling protocol', () => {
    const file = JSON.parse(readFileSync(new URL('../../examples/cycling-small.json', import.meta.url), 'utf8'));
    expect(CYCLING_EXAMPLE).toEqual(file);
    const r = resolveConfig(CYCLING_EXAMPLE);
    expect(r.loading.protocol).toBe('cycling');
    expect(r.loading.cycles).toBe(10);
  });
});
