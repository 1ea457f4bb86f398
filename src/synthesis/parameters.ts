/**
 * Provenance of every synthesis parameter (docs/synthesis.md §6): tag S (stated in the studies), L (literature),
 * D (derived), A (assumption to be replaced when a source is found), the unit and the statement it encodes.
 * Written into summary.json next to the values used.
 */
export interface SynthesisParameterInfo {
  tag: 'S' | 'L' | 'D' | 'A';
  unit: string;
  statement: string;
}

export const SYNTHESIS_PARAMETERS: Record<string, SynthesisParameterInfo> = {
  'temperature_program (presets)': {
    tag: 'S',
    unit: '°C, °C/min, min',
    statement:
      'Lithiation starts at the surface at 200–300 °C; the two-step route holds ≈ 200 °C before the ramp (NCM622 study). Ramp rate 5 °C/min, 500 °C and the 60/120 min holds are A.',
  },
  'coating.ald_cycles (preset 25)': {
    tag: 'S',
    unit: 'cycles',
    statement: '25 ALD cycles of WO3 were best (NCM90 study).',
  },
  'li_source.concentration': {
    tag: 'A',
    unit: 'c_s',
    statement: 'Concentration scale of Li in solution: c is in units of the molten source at the surface.',
  },
  'li_source.surface_exchange_um_per_s': {
    tag: 'A',
    unit: 'µm/s',
    statement: 'Li is supplied at the outer surface by the molten source, at a finite rate h (c_s − c).',
  },
  'li_source.Ea_surface_kJ_mol': {
    tag: 'A',
    unit: 'kJ/mol',
    statement: 'The uptake through the surface is thermally activated.',
  },
  'precursor.li_capacity': {
    tag: 'A',
    unit: 'c_s per X_L',
    statement:
      'The layered oxide binds much more Li than the solution carries (β > 1): lithiation advances as a front behind the Li supply.',
  },
  'precursor.void_per_decomposed': {
    tag: 'A',
    unit: 'area fraction',
    statement: 'The core hydroxide decomposes into rock salt with intergranular voids and nanopores (shrinkage).',
  },
  'rates.reference_temperature_C': {
    tag: 'A',
    unit: '°C',
    statement: 'Anchor of the Arrhenius laws, in the window where lithiation and decomposition compete.',
  },
  'rates.D_bulk_um2_per_s': {
    tag: 'A',
    unit: 'µm²/s',
    statement:
      'Li moves slowly through the grains: a shell, not the core, lithiates from the surface through the bulk.',
  },
  'rates.Ea_bulk_kJ_mol': { tag: 'A', unit: 'kJ/mol', statement: 'Bulk transport is thermally activated.' },
  'rates.D_GB_delta_um3_per_s': {
    tag: 'A',
    unit: 'µm³/s',
    statement: 'Open grain boundaries are fast Li paths into the particle.',
  },
  'rates.Ea_GB_kJ_mol': {
    tag: 'A',
    unit: 'kJ/mol',
    statement: 'Boundary transport has a lower activation energy than bulk transport.',
  },
  'rates.k_L_per_s': {
    tag: 'A',
    unit: '1/s per c',
    statement: 'Lithiation is topotactic and needs Li: R_L = k_L c (1 − X_L − X_RS).',
  },
  'rates.Ea_L_kJ_mol': {
    tag: 'A',
    unit: 'kJ/mol',
    statement: 'Lithiation becomes fast at 200–300 °C (S: the window; the value is A).',
  },
  'rates.k_D_per_s': {
    tag: 'A',
    unit: '1/s',
    statement: 'The hydroxide decomposes on its own, without Li: Ẋ_RS = k_D (1 − X_L − X_RS).',
  },
  'rates.Ea_D_kJ_mol': {
    tag: 'A',
    unit: 'kJ/mol',
    statement:
      'Decomposition (dehydration) runs at ≈ 220–350 °C (S: the window); a high Ea keeps it slow at a 200 °C hold.',
  },
  'rates.rock_salt_lithiation_ratio': {
    tag: 'A',
    unit: '—',
    statement: 'Rock salt lithiates far more slowly than the precursor.',
  },
  'rates.k_c_per_s': {
    tag: 'A',
    unit: '1/s',
    statement:
      'A boundary between two lithiated grains closes by coarsening (surface grains merge), which chokes Li paths.',
  },
  'rates.Ea_c_kJ_mol': {
    tag: 'A',
    unit: 'kJ/mol',
    statement: 'Coarsening is thermally activated and slow at a 200 °C hold.',
  },
  'rates.transverse_conductance_factor': {
    tag: 'A',
    unit: '—',
    statement: 'Li crosses an intact boundary like bulk (continuity), whether or not the boundary is an open channel.',
  },
  'pinning.min_factor': {
    tag: 'A',
    unit: '—',
    statement:
      'LixWOy at boundaries pins them: coarsening slows (grain-growth exponent ≈ 2 unpinned, up to ≈ 4.5 pinned, S) — mapped to a rate factor (A).',
  },
  'pinning.saturation_cycles': { tag: 'A', unit: 'cycles', statement: 'More ALD cycles pin more, saturating.' },
  'pinning.depth_um': {
    tag: 'A',
    unit: 'µm',
    statement: 'The W sits in the boundaries near the surface (ALD on the secondary precursor particle).',
  },
  'pinning.blocking_cycles': {
    tag: 'A',
    unit: 'cycles',
    statement: 'A thick WO3 layer slows Li uptake through the surface (why more cycles are not always better).',
  },
};
