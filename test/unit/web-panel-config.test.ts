/**
 * The browser panel's fields ↔ config mapping (web/src/panel-config.ts, no DOM): the fields of every reference
 * particle, applied back to it, give the same resolved config; an edited field lands on its key.
 */
import { describe, expect, it } from 'vitest';
import { REFERENCE_VARIANTS, referenceConfig, resolveConfig } from '../../src/index.js';
import { applyFields, fieldValues } from '../../web/src/panel-config.js';

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
