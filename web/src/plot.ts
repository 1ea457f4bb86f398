/**
 * The history plot of the runs on screen: mean grain-boundary damage (top) and the Li heterogeneity x_std
 * (bottom) against SoC or time, one line per particle, with a cursor at the timeline's position. The x range is
 * the timeline's [lo, hi] (a discharge runs right to left on an SoC axis); lines are clipped to the axes.
 *
 * One layout (`plotLayout`: panels, ticks, scales) feeds two writers: `drawPlot` (canvas 2D, the live plot and the
 * PNG figure) and `plotSvg` (a standalone SVG with vector paths, for figures people edit).
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

const MARGIN = { left: 52, right: 10, top: 22, gap: 34, bottom: 30 };

/** One panel's place (CSS px of the plot) and scales. */
interface PanelLayout {
  key: Panel['key'];
  title: string;
  y0: number;
  ph: number;
  ymax: number;
  yTicks: number[];
  X: (v: number) => number;
  Y: (v: number) => number;
}

interface Layout {
  W: number;
  H: number;
  left: number;
  right: number;
  xTicks: { v: number; text: string }[];
  panels: PanelLayout[];
}

/** Panels, ticks and scales of the plot in a W × H box (CSS px). */
export function plotLayout(series: PlotSeries[], axis: PlotAxis, lo: number, hi: number, W: number, H: number): Layout {
  const { left, right, top, gap, bottom } = MARGIN;
  const ph = (H - top - bottom - gap) / PANELS.length;
  const xlo = lo;
  const xhi = hi > lo ? hi : lo + 1;
  const xTickDigits = axis === 'time_s' ? 0 : xhi - xlo < 0.1 ? 3 : 2;
  const X = (v: number) => left + ((v - xlo) / (xhi - xlo)) * (W - left - right);
  const xTicks = Array.from({ length: 6 }, (_, i) => {
    const v = xlo + (i / 5) * (xhi - xlo);
    return { v, text: v.toFixed(xTickDigits) };
  });
  const panels = PANELS.map((p, k) => {
    const y0 = top + k * (ph + gap);
    let ymax = 0;
    for (const s of series) for (const r of s.history) if (Number.isFinite(r[p.key])) ymax = Math.max(ymax, r[p.key]);
    const raw = ymax > 0 ? ymax * 1.05 : 1e-3;
    const tick = niceStep(raw / 4);
    const nTicks = Math.max(1, Math.ceil(raw / tick - 1e-9));
    // D̄ is at most 1: do not run the axis past it
    const cap = p.key === 'damage_mean' && ymax <= 1 ? 1 : Infinity;
    ymax = Math.min(nTicks * tick, cap);
    const yTicks = Array.from({ length: nTicks + 1 }, (_, i) => i * tick).filter((v) => v <= ymax + 1e-12);
    return { key: p.key, title: p.title, y0, ph, ymax, yTicks, X, Y: (v: number) => y0 + ph - (v / ymax) * ph };
  });
  return { W, H, left, right, xTicks, panels };
}

/**
 * Draw the plot into `canvas`: at its CSS size and the screen's pixel ratio (the live plot), or, with `size`, at
 * size.width × size.height CSS px times size.scale device px (figure export; the canvas is resized to that).
 */
/**
 * Size `canvas` for W × H CSS px at `scale` device pixels per CSS px (default: the screen's, at most 2), keeping its
 * bitmap when the size is unchanged, and return its 2D context with user space in CSS px.
 */
export function hiDpiContext(
  canvas: HTMLCanvasElement,
  W: number,
  H: number,
  scale?: number,
): CanvasRenderingContext2D {
  const dpr = scale ?? Math.min(2, window.devicePixelRatio || 1);
  if (canvas.width !== Math.round(W * dpr) || canvas.height !== Math.round(H * dpr)) {
    canvas.width = Math.round(W * dpr);
    canvas.height = Math.round(H * dpr);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/**
 * Size `canvas` for its CSS box (or `size`, W and H at least 1 px, with `hiDpiContext`) and call `draw` with a
 * context in CSS px and that box: what every plot's canvas entry does before drawing into its context.
 */
export function drawAtCssSize(
  canvas: HTMLCanvasElement,
  draw: (ctx: CanvasRenderingContext2D, W: number, H: number) => void,
  size?: { width: number; height: number; scale: number },
): void {
  const W = Math.max(1, size ? size.width : canvas.clientWidth);
  const H = Math.max(1, size ? size.height : canvas.clientHeight);
  draw(hiDpiContext(canvas, W, H, size?.scale), W, H);
}

export function drawPlot(
  canvas: HTMLCanvasElement,
  series: PlotSeries[],
  cursor: number | null,
  axis: PlotAxis,
  lo: number,
  hi: number,
  size?: { width: number; height: number; scale: number },
): void {
  drawAtCssSize(canvas, (ctx, W, H) => drawPlotInto(ctx, series, cursor, axis, lo, hi, W, H), size);
}

/** Draw the plot into a 2D context whose user space is CSS px, in the box (0, 0, W, H). */
export function drawPlotInto(
  ctx: CanvasRenderingContext2D,
  series: PlotSeries[],
  cursor: number | null,
  axis: PlotAxis,
  lo: number,
  hi: number,
  W: number,
  H: number,
): void {
  const L = plotLayout(series, axis, lo, hi, W, H);
  const { left, right } = L;
  ctx.clearRect(0, 0, W, H);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  for (const p of L.panels) {
    const { y0, ph, X, Y } = p;
    // axes and grid
    gridStyle(ctx);
    for (const v of p.yTicks) {
      const y = Math.round(Y(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(W - right, y);
      ctx.stroke();
      ctx.fillText(fmt(v), left - 4, y);
    }
    ctx.textBaseline = 'top';
    L.xTicks.forEach((t, i) => {
      const x = Math.round(X(t.v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, y0);
      ctx.lineTo(x, y0 + ph);
      ctx.stroke();
      ctx.textAlign = i === L.xTicks.length - 1 ? 'right' : 'center';
      ctx.fillText(t.text, i === L.xTicks.length - 1 ? x + 4 : x, y0 + ph + 3);
    });
    // lines, clipped to the axes
    framePanel(ctx, left, y0, W - left - right, ph, p.title);
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
    if (cursor !== null) drawCursorLine(ctx, X(cursor), y0, ph);
    ctx.restore();
  }
  drawXLabelAndLegend(ctx, AXIS_LABELS[axis], series, left, right, W, H);
}

/**
 * A canvas plot panel's frame and title, then `ctx.save()` and a clip to the panel (the caller draws its series
 * and calls `ctx.restore()`).
 */
export function framePanel(
  ctx: CanvasRenderingContext2D,
  x0: number,
  top: number,
  pw: number,
  ph: number,
  title: string,
): void {
  ctx.strokeStyle = '#888';
  ctx.strokeRect(x0 + 0.5, top + 0.5, pw - 1, ph - 1);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.fillStyle = '#222';
  ctx.font = '12px sans-serif';
  ctx.fillText(title, x0, top - 3);
  ctx.save();
  ctx.beginPath();
  ctx.rect(x0, top, pw, ph);
  ctx.clip();
}

/** Grid lines and y tick labels of a canvas plot panel: light grey lines, 11 px labels right-aligned. */
export function gridStyle(ctx: CanvasRenderingContext2D): void {
  ctx.strokeStyle = '#ddd';
  ctx.lineWidth = 1;
  ctx.font = '11px sans-serif';
  ctx.fillStyle = '#444';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
}

/** The dashed red timeline cursor at x over one panel (canvas plots). */
export function drawCursorLine(ctx: CanvasRenderingContext2D, x: number, top: number, height: number): void {
  ctx.strokeStyle = '#c00';
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  const xp = Math.round(x) + 0.5;
  ctx.moveTo(xp, top);
  ctx.lineTo(xp, top + height);
  ctx.stroke();
  ctx.setLineDash([]);
}

/** The x-axis label (bottom right) and the series legend (bottom left) of a canvas plot. */
export function drawXLabelAndLegend(
  ctx: CanvasRenderingContext2D,
  xLabel: string,
  series: { label: string; color: string }[],
  left: number,
  right: number,
  W: number,
  H: number,
): void {
  ctx.fillStyle = '#222';
  ctx.font = '12px sans-serif';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.fillText(xLabel, W - right, H - 2);
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

/**
 * The plot as a standalone SVG document (W × H user units = px): axes, grid, tick labels, panel titles, the x
 * label, a legend, and one `<polyline class="series">` per series and panel holding every record of its history
 * (`data-series`, `data-panel` name them), clipped to its panel. No cursor: a figure shows whole curves.
 */
export function plotSvg(series: PlotSeries[], axis: PlotAxis, lo: number, hi: number, W = 720, H = 360): string {
  const L = plotLayout(series, axis, lo, hi, W, H);
  const { left, right } = L;
  const n = (v: number) => (Number.isFinite(v) ? Number(v.toFixed(2)).toString() : '0');
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
      `font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    '<defs>',
    ...L.panels.map(
      (p, k) =>
        `<clipPath id="clip${k}"><rect x="${left}" y="${n(p.y0)}" width="${W - left - right}" height="${n(p.ph)}"/></clipPath>`,
    ),
    '</defs>',
  ];
  L.panels.forEach((p, k) => {
    const { y0, ph, X, Y } = p;
    out.push(`<g class="panel" data-panel="${p.key}">`);
    out.push(`<g stroke="#ddd" stroke-width="1">`);
    for (const v of p.yTicks) out.push(`<line x1="${left}" x2="${W - right}" y1="${n(Y(v))}" y2="${n(Y(v))}"/>`);
    for (const t of L.xTicks) out.push(`<line x1="${n(X(t.v))}" x2="${n(X(t.v))}" y1="${n(y0)}" y2="${n(y0 + ph)}"/>`);
    out.push('</g>');
    out.push(
      `<rect x="${left}" y="${n(y0)}" width="${W - left - right}" height="${n(ph)}" fill="none" stroke="#888"/>`,
    );
    out.push(`<g fill="#444" text-anchor="end">`);
    for (const v of p.yTicks) out.push(`<text x="${left - 4}" y="${n(Y(v) + 4)}">${fmt(v)}</text>`);
    out.push('</g>');
    L.xTicks.forEach((t, i) => {
      const last = i === L.xTicks.length - 1;
      out.push(
        `<text x="${n(last ? X(t.v) + 4 : X(t.v))}" y="${n(y0 + ph + 14)}" fill="#444" text-anchor="${last ? 'end' : 'middle'}">${t.text}</text>`,
      );
    });
    out.push(`<text x="${left}" y="${n(y0 - 4)}" fill="#222" font-size="12">${escapeXml(p.title)}</text>`);
    out.push(`<g clip-path="url(#clip${k})" fill="none" stroke-width="2" stroke-linejoin="round">`);
    series.forEach((s, si) => {
      const pts = s.history.map((r) => `${n(X(r[axis]))},${n(Y(r[p.key]))}`).join(' ');
      out.push(
        `<polyline class="series" data-series="${si}" data-panel="${p.key}" stroke="${s.color}" points="${pts}">` +
          `<title>${escapeXml(s.label)}</title></polyline>`,
      );
    });
    out.push('</g></g>');
  });
  out.push(
    `<text x="${W - right}" y="${H - 4}" fill="#222" font-size="12" text-anchor="end">${AXIS_LABELS[axis]}</text>`,
  );
  let lx = left;
  out.push(`<g class="legend" font-size="12">`);
  for (const s of series) {
    out.push(`<rect x="${lx}" y="${H - 12}" width="14" height="4" fill="${s.color}"/>`);
    out.push(`<text x="${lx + 18}" y="${H - 4}" fill="#222">${escapeXml(s.label)}</text>`);
    // no text metrics outside a canvas: ≈ 6.5 px per character of 12 px sans-serif
    lx += 26 + 6.5 * s.label.length;
  }
  out.push('</g>', '</svg>', '');
  return out.join('\n');
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The nearest 1, 2 or 5 × 10^k at or above v. */
export function niceStep(v: number): number {
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
