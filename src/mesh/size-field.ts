/**
 * Grain-size spread by seeding density (MeshSpec.size_spread = σ, the log-normal σ of the grain diameter).
 *
 * A smooth random field sets the local mean grain diameter d(x) = d₀ exp(σ G(x)), with G a unit-variance
 * Gaussian random field (random-phase Fourier sum of 64 modes, G = √(2/M) Σ cos(k_m·x + φ_m), wave vectors
 * k_m ~ N(0, I/ℓ²), correlation length ℓ = 2 d₀, clipped to |G| ≤ 3). Then:
 *  - seeds are drawn with intensity ∝ 1/d(x)² (rejection sampling), so each neighbourhood gets grains of its own
 *    size: ln d across grains is normal with standard deviation ≈ σ (weighting a Gaussian by exp(−2σG) shifts its
 *    mean but keeps its variance);
 *  - Lloyd relaxation uses the density ρ(x) = d(x)⁻⁴ for the cell centroids (a centroidal Voronoi tessellation
 *    with density ρ has cell diameters ∝ ρ^(−1/4) in 2D), so relaxation regularises the shapes but keeps the sizes.
 * Poisson–Voronoi cells have an intrinsic spread of ln d of about 0.3 (≈ 0.18 after two Lloyd sweeps), which adds
 * in quadrature. Sizes are spatially correlated over ~ℓ (patches of small and of large grains), as in real
 * secondary particles, rather than independent per grain; a power (Laguerre) diagram would be needed for that.
 */
import type { Rng } from './random.js';
import { cos } from '../math/portable.js';

export interface SizeField {
  /** ln(d(x)/d₀) = σ G(x). */
  lnDiameterFactor(x: number, y: number): number;
  sigma: number;
}

const MODES = 64;

export function createSizeField(sigma: number, meanDiameter_um: number, rng: Rng): SizeField {
  const ell = 2 * meanDiameter_um;
  const kx = new Float64Array(MODES);
  const ky = new Float64Array(MODES);
  const phase = new Float64Array(MODES);
  for (let m = 0; m < MODES; m++) {
    kx[m] = rng.normal() / ell;
    ky[m] = rng.normal() / ell;
    phase[m] = 2 * Math.PI * rng.next();
  }
  const amplitude = Math.sqrt(2 / MODES);
  return {
    sigma,
    lnDiameterFactor(x: number, y: number): number {
      let g = 0;
      for (let m = 0; m < MODES; m++) g += cos(kx[m] * x + ky[m] * y + phase[m]);
      g *= amplitude;
      return sigma * Math.max(-3, Math.min(3, g));
    },
  };
}
