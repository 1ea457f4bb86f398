/**
 * Bessel functions of the first kind J0, J1 and the positive roots of J1, for the Crank series solutions.
 *
 * J_n(x) = (1/2π) ∫_0^{2π} cos(nτ − x sin τ) dτ (Bessel's integral). The integrand is periodic and entire, so the
 * trapezoidal rule with M points converges geometrically once M exceeds |x| + n by a margin: M = 48 + 2⌈|x|⌉ gives
 * machine precision for the arguments used here (|x| ≤ a few hundred). For small |x| the power series
 * J_n(x) = Σ_k (−1)^k (x/2)^{2k+n} / (k! (k+n)!) is used instead (no cancellation for |x| ≤ 4).
 * Roots of J1: McMahon's asymptotic start j ≈ β − 3/(8β), β = (k + 1/4)π, refined by Newton with
 * J1'(x) = J0(x) − J1(x)/x.
 */
function besselSeries(n: 0 | 1, x: number): number {
  const h = x / 2;
  let term = n === 0 ? 1 : h;
  let sum = term;
  for (let k = 1; k < 60; k++) {
    term *= (-h * h) / (k * (k + n));
    sum += term;
    if (Math.abs(term) < 1e-18 * Math.abs(sum)) break;
  }
  return sum;
}

function besselIntegral(n: 0 | 1, x: number): number {
  const M = 48 + 2 * Math.ceil(Math.abs(x));
  let sum = 0;
  for (let m = 0; m < M; m++) {
    const tau = (2 * Math.PI * m) / M;
    sum += Math.cos(n * tau - x * Math.sin(tau));
  }
  return sum / M;
}

export function besselJ0(x: number): number {
  return Math.abs(x) <= 4 ? besselSeries(0, x) : besselIntegral(0, x);
}

export function besselJ1(x: number): number {
  return Math.abs(x) <= 4 ? besselSeries(1, x) : besselIntegral(1, x);
}

/** The first `count` positive roots of J1. */
export function besselJ1Roots(count: number): number[] {
  const roots: number[] = [];
  for (let k = 1; k <= count; k++) {
    const beta = (k + 0.25) * Math.PI;
    let x = beta - 3 / (8 * beta);
    for (let it = 0; it < 50; it++) {
      const j1 = besselJ1(x);
      const dx = j1 / (besselJ0(x) - j1 / x);
      x -= dx;
      if (Math.abs(dx) < 1e-15 * x) break;
    }
    roots.push(x);
  }
  return roots;
}

/**
 * Crank (The Mathematics of Diffusion, §5.3.2 / eq. 5.53 form) for a cylinder of radius a with a constant flux F
 * leaving through the surface (−D ∂C/∂r = F at r = a), initial C0:
 *   C(r, t) = C0 − (F a / D) [2Dt/a² + r²/(2a²) − 1/4 − 2 Σ_n exp(−D α_n² t) J0(r α_n) / (a² α_n² J0(a α_n))],
 * α_n the positive roots of J1(a α) = 0.
 */
export function crankCylinderConstantFlux(
  r: number,
  t: number,
  opts: { a: number; D: number; F: number; C0: number; roots: number[] },
): number {
  const { a, D, F, C0, roots } = opts;
  let series = 0;
  for (const j of roots) {
    const alpha = j / a;
    const e = Math.exp(-D * alpha * alpha * t);
    if (e < 1e-18) break; // later terms are below double precision relative to the O(1) bracket
    series += (e * besselJ0(r * alpha)) / (a * a * alpha * alpha * besselJ0(a * alpha));
  }
  return C0 - ((F * a) / D) * ((2 * D * t) / (a * a) + (r * r) / (2 * a * a) - 0.25 - 2 * series);
}
