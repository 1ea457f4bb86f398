/**
 * The cycling view: per-cycle capacity retention and mean grain-boundary damage D̄ against the cycle number (one
 * line per cycling particle; filled markers for computed cycles, open ones for cycles a cycle jump passed over),
 * with a cursor at the cycle the slider shows. The rows are the engine's own cycles.csv records (`CycleRecord`,
 * posted by the worker as `sim.cycles` grows); nothing is recomputed here.
 *
 * `CYCLING_EXAMPLE` is the "cycling" particle type of the slot panels: examples/cycling-small.json (a unit test
 * keeps the two equal).
 */
import type { CycleRecord } from '../../src/index.js';
import { drawAtCssSize, drawCursorLine, drawXLabelAndLegend, framePanel, gridStyle, niceStep } from './plot.js';

/** examples/cycling-small.json: 10 cycles of a 12-grain quarter particle, 2C/1C charge to 0.9, 2C discharge to 0.1. */
export const CYCLING_EXAMPLE = {
  name: 'cycling-small',
  geometry: { shape: 'quarter', radius_um: 2.0, mesh_size_um: 0.2 },
  microstructure: { grains: 12, seed: 3 },
  material: { preset: 'nmc90-bare', gb: { strength_MPa: 400 } },
  loading: {
    protocol: 'cycling',
    cycles: 10,
    charge: { c_rates: [2, 1], to_soc: 0.9 },
    discharge: { c_rates: 2, to_soc: 0.1 },
    rest_s: 60,
  },
  output: { cycles: [1, 5, 10], vtu: false },
  solver: { cycle_jump: { enabled: true, max_damage_increment: 0.02 }, crack_blocks_diffusion: true },
};

export interface CycleSeries {
  label: string;
  color: string;
  cycles: CycleRecord[];
  /** The run's number of cycles (loading.cycles): the x axis reaches the largest. */
  total: number;
}

const PANELS: { key: 'retention' | 'damage_mean'; title: string }[] = [
  { key: 'retention', title: 'capacity retention (discharge capacity / cycle 1)' },
  { key: 'damage_mean', title: 'mean GB damage D̄ at the end of the cycle' },
];

/** Draw the two panels into `canvas` at its CSS size (device pixel ratio ≤ 2); `cursor` = the cycle shown. */
export function drawCyclePlot(canvas: HTMLCanvasElement, series: CycleSeries[], cursor: number | null): void {
  drawAtCssSize(canvas, (ctx, W, H) => drawCyclePlotInto(ctx, series, cursor, W, H));
}

/** Draw the two panels into a 2D context whose user space is CSS px, in the box (0, 0, W, H) (also the figure). */
export function drawCyclePlotInto(
  ctx: CanvasRenderingContext2D,
  series: CycleSeries[],
  cursor: number | null,
  W: number,
  H: number,
): void {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const left = 52;
  const right = 10;
  const top = 22;
  const gap = 34;
  const bottom = 30;
  const pw = (W - left - right - gap) / 2;
  const ph = H - top - bottom;
  const nMax = Math.max(2, ...series.map((s) => s.total));
  const xTick = Math.max(1, niceStep(nMax / 6));
  PANELS.forEach((p, k) => {
    const x0 = left + k * (pw + gap);
    const values = series.flatMap((s) => s.cycles.map((c) => c[p.key])).filter(Number.isFinite);
    // retention: from a little below its minimum to 1 (and a bit above); damage: 0 to a nice maximum
    let ylo = 0;
    let yhi = 1;
    if (p.key === 'retention') {
      const lo = Math.min(1, ...values);
      const hi = Math.max(1, ...values);
      const t = niceStep(Math.max(1e-3, (hi - lo) * 1.1) / 4);
      ylo = Math.floor((lo - 0.02 * (hi - lo)) / t) * t;
      yhi = Math.ceil((hi + 1e-12) / t) * t;
    } else {
      const hi = Math.max(1e-3, ...values);
      const t = niceStep((hi * 1.05) / 4);
      // D̄ is at most 1: do not run the axis past it
      yhi = Math.min(Math.ceil((hi * 1.05) / t) * t, 1);
    }
    const X = (c: number) => x0 + ((c - 1) / (nMax - 1)) * pw;
    const Y = (v: number) => top + ph - ((v - ylo) / (yhi - ylo)) * ph;
    gridStyle(ctx);
    const yStep = niceStep((yhi - ylo) / 4);
    for (let v = ylo; v <= yhi + 1e-9 * yStep; v += yStep) {
      const y = Math.round(Y(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x0, y);
      ctx.lineTo(x0 + pw, y);
      ctx.stroke();
      ctx.fillText(Number(v.toPrecision(4)).toString(), x0 - 4, y);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let c = 1; c <= nMax; c += c === 1 && xTick > 1 ? xTick - 1 : xTick) {
      const x = Math.round(X(c)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + ph);
      ctx.stroke();
      ctx.fillText(String(c), x, top + ph + 3);
    }
    framePanel(ctx, x0, top, pw, ph, p.title);
    for (const s of series) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      s.cycles.forEach((c, i) => (i === 0 ? ctx.moveTo(X(c.cycle), Y(c[p.key])) : ctx.lineTo(X(c.cycle), Y(c[p.key]))));
      ctx.stroke();
      for (const c of s.cycles) {
        ctx.beginPath();
        ctx.arc(X(c.cycle), Y(c[p.key]), 3.5, 0, 2 * Math.PI);
        ctx.fillStyle = c.resolved ? s.color : '#fff';
        ctx.fill();
        ctx.lineWidth = 1.5;
        ctx.stroke();
      }
    }
    if (cursor !== null) drawCursorLine(ctx, X(cursor), top, ph);
    ctx.restore();
  });
  drawXLabelAndLegend(ctx, 'cycle', series, left, right, W, H);
  ctx.fillStyle = '#555';
  ctx.textAlign = 'right';
  ctx.fillText('● computed  ○ passed over by a cycle jump', W - right - 50, H - 2);
}

/** One line about a cycle of a run: retention, D̄, cracked fraction and class (the row of cycles.csv). */
export function cycleSummary(c: CycleRecord): string {
  return (
    `cycle ${c.cycle}${c.resolved ? '' : ' (jumped over)'}: retention ${c.retention.toFixed(4)} · ` +
    `D̄ ${c.damage_mean.toFixed(4)} · cracked ${(100 * c.cracked_fraction).toFixed(1)} % · class ${c.class}` +
    (c.crack_path ? ' · crack path surface→core' : '')
  );
}
