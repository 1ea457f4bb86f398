/**
 * Defect 3: sweep axis keys could reach Object.prototype ("__proto__.polluted", "geometry.__proto__.shape"), and an
 * axis key "__proto__" was silently dropped (one case ran, exit 0). Now keys walk own properties only and
 * "__proto__", "constructor" and "prototype" are refused by name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseSweepSpec, setConfigKey, SweepError } from '../../src/sweep/spec.js';

afterEach(() => {
  // a failing test must not leave the prototype polluted for the others
  delete (Object.prototype as Record<string, unknown>).polluted;
  delete (Object.prototype as Record<string, unknown>).shape;
});

describe('sweep axis keys cannot pollute prototypes', () => {
  for (const key of [
    '__proto__.polluted',
    'geometry.__proto__.shape',
    '__proto__',
    'constructor.prototype.x',
    'material.constructor',
  ])
    for (const kind of ['grid', 'zip'])
      it(`axes.${kind} key "${key}" is refused by name`, () => {
        // JSON.parse makes "__proto__" an own key, as a sweep file would
        const text = `{ "base": {}, "axes": { "${kind}": { "${key}": [1, 2] } } }`;
        expect(() => parseSweepSpec(JSON.parse(text))).toThrow(SweepError);
        expect(() => parseSweepSpec(JSON.parse(text))).toThrow(/__proto__, constructor and prototype are refused/);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(({} as Record<string, unknown>).shape).toBeUndefined();
      });

  it('setting a key walks own properties only (an inherited name is not followed)', () => {
    const cfg = setConfigKey({}, 'geometry.toString', 1); // "toString" is inherited by every object
    expect(cfg).toEqual({ geometry: { toString: 1 } });
    expect(typeof ({} as { toString: unknown }).toString).toBe('function');
  });
});
