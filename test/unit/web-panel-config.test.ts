/**
 * The browser panel's fields ↔ config mapping (web/src/panel-config.ts, no DOM): the fields of every reference
 * particle, applied back to it, give the same resolved config; an edited field lands on its key. The page's
 * checks before a run (config schema and mesher limits), and the URL state.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_VARIANTS, referenceConfig, resolveConfig } from '../../src/index.js';
import { applyFields, checkConfig, configKeyOfMeshKey, fieldValues } from '../../web/src/panel-config.js';
import { parseQuery, queryFromApp } from '../../web/src/url-state.js';

describe('web panel: fields ↔ config', () => {
  for (const variant of REFERENCE_VARIANTS) {
    it(`${variant}: the fields of the reference config give it back`, () => {
      const c = referenceConfig(variant) as Record<string, unknown>;
      const values = fieldValues(c);
      const rebuilt = applyFields(structuredClone(c), (id) => String(values[id]));
      expect(resolveConfig(rebuilt)).toEqual(resolveConfig(referenceConfig(variant)));
    });
  }

  it('an edited field lands on its key; a non-number stays text for the validator to name', () => {
    const c = referenceConfig('bare') as Record<string, unknown>;
    const values: Record<string, string | boolean> = { ...fieldValues(c), grains: '30', toSoc: '0.6', mesh: 'abc' };
    const built = applyFields(structuredClone(c), (id) => String(values[id])) as Record<
      string,
      Record<string, unknown>
    >;
    expect(built.microstructure.grains).toBe(30);
    expect(built.loading.to_soc).toBe(0.6);
    expect(built.geometry.mesh_size_um).toBe('abc');
  });
});

describe('web panel: checks before any worker starts (checkConfig)', () => {
  it('refuses grains = 100000 with the mesher limit, naming microstructure.grains (what a run would report)', () => {
    for (const variant of REFERENCE_VARIANTS) {
      const c = referenceConfig(variant, 7, { microstructure: { grains: 100000, seed: 7 } });
      const { issues } = checkConfig(c);
      expect(issues.map((i) => i.key)).toEqual(['microstructure.grains']);
      expect(issues[0].message).toMatch(/got 100000; allowed: at most about one grain per element/);
    }
  });

  it('passes every reference particle and reports schema issues by key', () => {
    for (const variant of REFERENCE_VARIANTS) expect(checkConfig(referenceConfig(variant)).issues).toEqual([]);
    const bad = checkConfig({ ...referenceConfig('bare'), loading: { c_rates: 'abc' } });
    expect(bad.issues[0].key).toBe('loading.c_rates');
    expect(bad.issues[0].message).toContain('a number, or an array');
  });

  it('maps mesh-spec keys to config keys', () => {
    expect(configKeyOfMeshKey('grains')).toBe('microstructure.grains');
    expect(configKeyOfMeshKey('coating_thickness_um')).toBe('coating.thickness_um');
    expect(configKeyOfMeshKey('porosity.center')).toBe('porosity.center');
    expect(configKeyOfMeshKey('mesh_size_um')).toBe('geometry.mesh_size_um');
  });

  it('example configs survive the panel round trip (the config the page runs is the file the CLI runs)', () => {
    for (const f of ['quarter-coated-small.json', 'quarter-porous-small.json']) {
      const c = JSON.parse(readFileSync(join('examples', f), 'utf8')) as Record<string, unknown>;
      const values = fieldValues(c);
      const rebuilt = applyFields(structuredClone(c), (id) => String(values[id]));
      expect(resolveConfig(rebuilt)).toEqual(resolveConfig(c));
    }
  });
});

describe('web URL state (url-state.ts)', () => {
  it('per-slot values apply to one slot; a bare field key applies to none and is reported', () => {
    const q = parseQuery(new URLSearchParams('A=bare&B=mf-coated&B.coating=0.3&coating=0.3&all.mesh=0.2&run=1'));
    expect(q.slots[0]?.variant).toBe('bare');
    expect(q.slots[0]?.values).toEqual({ mesh: '0.2' });
    expect(q.slots[1]?.values).toEqual({ coating: '0.3', mesh: '0.2' });
    expect(q.run).toBe(true);
    expect(q.problems.join(' ')).toContain('coating=0.3 names no particle');
  });

  it('writes only what differs from each slot’s particle type, and reads it back', () => {
    const panels = [
      { variant: 'bare' as const, changedFields: () => ({ grains: '30' }) },
      { variant: 'none' as const, changedFields: () => ({}) },
    ];
    const s = queryFromApp({
      panels,
      mode: 'max_principal',
      axis: 'time_s',
      liColormap: 'turbo',
      rangeMode: 'fixed',
      fixedRange: [0.2, 0.9],
    });
    const q = parseQuery(new URLSearchParams(s));
    expect(q.slots[0]).toEqual({ variant: 'bare', values: { grains: '30' } });
    expect(q.slots[1]?.variant).toBe('none');
    expect([q.field, q.axis, q.colormap, q.range]).toEqual(['max_principal', 'time_s', 'turbo', [0.2, 0.9]]);
    expect(q.problems).toEqual([]);
  });
});
