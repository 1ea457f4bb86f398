/**
 * Synthesis presets for the two studies of docs/synthesis.md (user-config `synthesis` sections; a config names one
 * with `"synthesis": { "preset": name, …overrides }`). Every preset uses the default rates (tag A): the two studies
 * differ in the precursor coating and the temperature program only, which is the comparison they make.
 *
 *  - ncm90-bare / ncm90-wo3-ald: NCM90 hydroxide precursor, bare or with 25 ALD cycles of WO3 (the best of the
 *    study), one ramp at 5 °C/min to 500 °C and a 60 min hold.
 *  - ncm622-direct / ncm622-two-step: NCM622 precursor, the direct ramp, or a 120 min hold at 200 °C before it.
 */
const HIGH = [{ ramp_C_per_min: 5, to_C: 500 }, { hold_min: 60 }];

export const SYNTHESIS_PRESETS: Record<string, Record<string, unknown>> = {
  'ncm90-bare': {
    precursor: { composition: 'NCM90' },
    temperature_program: { start_C: 25, steps: HIGH },
  },
  'ncm90-wo3-ald': {
    precursor: { composition: 'NCM90' },
    coating: { kind: 'WO3-ALD', ald_cycles: 25 },
    temperature_program: { start_C: 25, steps: HIGH },
  },
  'ncm622-direct': {
    precursor: { composition: 'NCM622' },
    temperature_program: { start_C: 25, steps: HIGH },
  },
  'ncm622-two-step': {
    precursor: { composition: 'NCM622' },
    temperature_program: {
      start_C: 25,
      steps: [{ ramp_C_per_min: 5, to_C: 200 }, { hold_min: 120 }, ...HIGH],
    },
  },
};

export const SYNTHESIS_PRESET_NAMES = Object.keys(SYNTHESIS_PRESETS);
