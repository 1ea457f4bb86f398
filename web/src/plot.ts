/**
 * Live canvas-2D plot of the runs on screen: mean grain-boundary damage (top) and the Li heterogeneity x_std
 * (bottom) against SoC or time, one line per particle, with a cursor at the timeline's position. The x range is
 * the timeline's [lo, hi] (a discharge runs right to left on an SoC axis); lines are clipped to the axes.
 */
import type { StepRecord } from '../../src/index.js';

export interface PlotSeries {
  label: string;
  color: string;
  history: StepRecord[];
}

interface Panel {
  key: 'damage_mean' | 'x_std';
  title: string;
}

const PANELS: Panel[] = [
  { key: 'damage_mean', title: 'mean GB damage D̄' },
  { key: 'x_std', title: 'x_std (Li heterogeneity)' },
];

export type PlotAxis = 'soc' | 'time_s';

export const AXIS_LABELS: Record<PlotAxis, string> = { soc: 'SoC', time_s: 'time (s)' };

export function drawPlot(
  canvas: HTMLCanvasElement,
  series: PlotSeries[],
  cursor: number | null,
  axis: PlotAxis,
  lo: number,
  hi: number,
): void {
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  const W = Math.max(1, canvas.clientWidth);
  const H = Math.max(1, canvas.clientHeight);
  if (canvas.width !== Math.round(W * dpr) || canvas.height !== Math.round(H * dpr)) {
    canvas.width = Math.round(W * dpr);
    canvas.height = Math.round(H * dpr);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, W, H);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const left = 52;
  const right = 10;
  const top = 22;
  const gap = 34;
  const bottom = 30;
  const ph = (H - top - bottom - gap) / PANELS.length;
  const xlo = lo;
  const xhi = hi > lo ? hi : lo + 1;
  const xTickDigits = axis === 'time_s' ? 0 : xhi - xlo < 0.1 ? 3 : 2;
  PANELS.forEach((p, k) => {
    const y0 = top + k * (ph + gap);
    let ymax = 0;
    for (const s of series) for (const r of s.history) if (Number.isFinite(r[p.key])) ymax = Math.max(ymax, r[p.key]);
    const raw = ymax > 0 ? ymax * 1.05 : 1e-3;
    const tick = niceStep(raw / 4);
    const nTicks = Math.max(1, Math.ceil(raw / tick - 1e-9));
    ymax = nTicks * tick;
    const X = (v: number) => left + ((v - xlo) / (xhi - xlo)) * (W - left - right);
    const Y = (v: number) => y0 + ph - (v / ymax) * ph;
    // axes and grid
    ctx.strokeStyle = '#ddd';
    ctx.lineWidth = 1;
    ctx.font = '11px sans-serif';
    ctx.fillStyle = '#444';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let i = 0; i <= nTicks; i++) {
      const v = i * tick;
      const y = Math.round(Y(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(W - right, y);
      ctx.stroke();
      ctx.fillText(fmt(v), left - 4, y);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let i = 0; i <= 5; i++) {
      const v = xlo + (i / 5) * (xhi - xlo);
      const x = Math.round(X(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, y0);
      ctx.lineTo(x, y0 + ph);
      ctx.stroke();
      ctx.textAlign = i === 5 ? 'right' : 'center';
      ctx.fillText(v.toFixed(xTickDigits), i === 5 ? x + 4 : x, y0 + ph + 3);
    }
    ctx.strokeStyle = '#888';
    ctx.strokeRect(left + 0.5, y0 + 0.5, W - left - right - 1, ph - 1);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'bottom';
    ctx.fillStyle = '#222';
    ctx.font = '12px sans-serif';
    ctx.fillText(p.title, left, y0 - 3);
    // lines, clipped to the axes
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, y0, W - left - right, ph);
    ctx.clip();
    for (const s of series) {
      if (s.history.length < 1) continue;
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      s.history.forEach((r, i) => {
        const x = X(r[axis]);
        const y = Y(r[p.key]);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.stroke();
    }
    if (cursor !== null) {
      ctx.strokeStyle = '#c00';
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      const x = Math.round(X(cursor)) + 0.5;
      ctx.moveTo(x, y0);
      ctx.lineTo(x, y0 + ph);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.restore();
  });
  // x label and legend
  ctx.fillStyle = '#222';
  ctx.font = '12px sans-serif';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.fillText(AXIS_LABELS[axis], W - right, H - 2);
  ctx.textAlign = 'left';
  let lx = left;
  for (const s of series) {
    ctx.fillStyle = s.color;
    ctx.fillRect(lx, H - 12, 14, 4);
    ctx.fillStyle = '#222';
    ctx.fillText(s.label, lx + 18, H - 2);
    lx += 26 + ctx.measureText(s.label).width;
  }
}

/** The nearest 1, 2 or 5 × 10^k at or above v. */
function niceStep(v: number): number {
  const e = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (m * e >= v * (1 - 1e-9)) return m * e;
  return 10 * e;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 0.1) return Number(v.toFixed(2)).toString();
  if (Math.abs(v) >= 0.001) return Number(v.toFixed(4)).toString();
  return v.toExponential(1);
}
