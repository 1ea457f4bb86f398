/**
 * Figures for papers: the view (rendered off-screen at a chosen scale, Viewport.renderImage), the slot titles, a
 * colour bar with the field's name, units and range, the crack key, a µm scale bar and the history plot, drawn
 * into one 2D canvas whose size is `scale` × the figure's CSS size:
 *
 *   width  = the view's CSS width
 *   height = the view's CSS height + LEGEND_BAND_PX + the plot's height (+ the cycle plot's, with cycling runs)
 *
 * Text, lines and the plot are drawn at that scale (vector-sharp); the particles are rendered at it.
 */
import { drawColorbar, formatTick, type ColormapName } from './colormap.js';
import { drawPlotInto, niceStep, type PlotAxis, type PlotSeries } from './plot.js';
import { drawCyclePlotInto, type CycleSeries } from './cycle-view.js';

/** Height of the band under the view with the colour bar, the crack key and the scale bar (CSS px). */
export const LEGEND_BAND_PX = 72;
/** The plot's height in a figure when the page shows none (CSS px). */
export const DEFAULT_PLOT_PX = 260;

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface FigureParts {
  /** The view rendered at `scale` (Viewport.renderImage) and its CSS size. */
  view: HTMLCanvasElement;
  viewWidth: number;
  viewHeight: number;
  /** Slot titles (CSS px of the view, top-left origin). */
  titles: { x: number; y: number; w: number; color: string; head: string; body: string }[];
  colormap: ColormapName;
  range: [number, number];
  /** The field's name with its units, e.g. "max principal stress σ₁ (MPa)". */
  fieldLabel: string;
  /** µm per CSS px of the view (the same in every particle panel). */
  umPerPx: number;
  plot: { series: PlotSeries[]; cursor: number | null; axis: PlotAxis; lo: number; hi: number; height: number } | null;
  /** Cycling runs: retention and D̄ per cycle (cycle-view.ts) under the plot. */
  cycles?: { series: CycleSeries[]; cursor: number | null; height: number } | null;
}

/** Where things are in the figure (device px of the PNG). */
export interface FigureLayout {
  scale: number;
  /** The figure's CSS size (the PNG is round(scale × it)). */
  cssWidth: number;
  cssHeight: number;
  width: number;
  height: number;
  view: Rect;
  colorbar: Rect;
  scalebar: Rect & { length_um: number };
  plot: Rect | null;
  cycles: Rect | null;
}

/** The figure's CSS size for a view and plot. */
export function figureCssSize(
  viewWidth: number,
  viewHeight: number,
  plotHeight: number | null,
  cyclesHeight: number | null = null,
): [number, number] {
  return [viewWidth, viewHeight + LEGEND_BAND_PX + (plotHeight ?? 0) + (cyclesHeight ?? 0)];
}

/**
 * The scale of a figure request: `scale` (× the on-screen size) or `width_px` (the PNG's width; the scale is
 * width_px / the CSS width). Refuses anything not a positive finite number, naming it.
 */
export function figureScale(req: { scale?: number; width_px?: number }, cssWidth: number): number {
  if (req.width_px !== undefined) {
    if (!(Number.isFinite(req.width_px) && req.width_px >= 16))
      throw new RangeError(`figure width: got ${req.width_px}; allowed: a number of pixels ≥ 16`);
    return req.width_px / Math.max(1, cssWidth);
  }
  const s = req.scale ?? 2;
  if (!(Number.isFinite(s) && s > 0 && s <= 16))
    throw new RangeError(`figure scale: got ${s}; allowed: a number in (0, 16]`);
  return s;
}

/** A scale bar length (1, 2 or 5 × 10^k µm) close to `targetPx` CSS px at `umPerPx`. */
export function scaleBarLength_um(umPerPx: number, targetPx = 90): number {
  const raw = umPerPx * targetPx;
  const nice = niceStep(raw);
  // niceStep rounds up; take the step below when that is closer
  const e = Math.pow(10, Math.floor(Math.log10(nice) + 1e-9));
  const m = Math.round(nice / e);
  const below = m === 5 ? 2 * e : m === 2 ? e : 0.5 * e;
  return raw - below < nice - raw ? below : nice;
}

export function composeFigure(parts: FigureParts, scale: number): { canvas: HTMLCanvasElement; layout: FigureLayout } {
  const W = parts.viewWidth;
  const Hv = parts.viewHeight;
  const plotH = parts.plot ? parts.plot.height : 0;
  const cyclesH = parts.cycles ? parts.cycles.height : 0;
  const [cssW, cssH] = figureCssSize(W, Hv, parts.plot ? plotH : null, parts.cycles ? cyclesH : null);
  const out = document.createElement('canvas');
  out.width = Math.round(cssW * scale);
  out.height = Math.round(cssH * scale);
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(parts.view, 0, 0);
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  // titles over the particles
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  for (const t of parts.titles) {
    ctx.fillStyle = t.color;
    ctx.font = 'bold 13px sans-serif';
    ctx.fillText(t.head, t.x + 8, t.y + 6);
    ctx.fillStyle = '#222';
    ctx.font = '12px sans-serif';
    ctx.fillText(t.body, t.x + 8, t.y + 24, Math.max(40, t.w - 16));
  }
  // legend band: colour bar (name, units, range), crack key, scale bar
  const cb: Rect = { x: 10, y: Hv + 22, w: 300, h: 14 };
  const [lo, hi] = parts.range;
  const label = `${parts.fieldLabel} · range ${formatTick(lo, hi - lo)} – ${formatTick(hi, hi - lo)}`;
  drawColorbar(ctx, parts.colormap, cb.x, cb.y, cb.w, cb.h, lo, hi, label);
  ctx.fillStyle = '#800005';
  ctx.fillRect(340, Hv + 27, 28, 4);
  ctx.fillStyle = '#222';
  ctx.font = '12px sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText('grain-boundary damage D', 374, Hv + 29);
  const length_um = scaleBarLength_um(parts.umPerPx);
  const barW = length_um / parts.umPerPx;
  const sb: Rect = { x: W - 20 - barW, y: Hv + 24, w: barW, h: 6 };
  ctx.fillStyle = '#000';
  ctx.fillRect(sb.x, sb.y, sb.w, sb.h);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText(`${Number(length_um.toPrecision(3))} µm`, sb.x + sb.w / 2, sb.y + sb.h + 4);
  // plot
  let plot: Rect | null = null;
  if (parts.plot) {
    const p = parts.plot;
    const y0 = Hv + LEGEND_BAND_PX;
    ctx.save();
    ctx.translate(0, y0);
    drawPlotInto(ctx, p.series, p.cursor, p.axis, p.lo, p.hi, W, plotH);
    ctx.restore();
    plot = { x: 0, y: y0, w: W, h: plotH };
  }
  let cycles: Rect | null = null;
  if (parts.cycles) {
    const y0 = Hv + LEGEND_BAND_PX + plotH;
    ctx.save();
    ctx.translate(0, y0);
    drawCyclePlotInto(ctx, parts.cycles.series, parts.cycles.cursor, W, cyclesH);
    ctx.restore();
    cycles = { x: 0, y: y0, w: W, h: cyclesH };
  }
  const px = (r: Rect): Rect => ({ x: r.x * scale, y: r.y * scale, w: r.w * scale, h: r.h * scale });
  return {
    canvas: out,
    layout: {
      scale,
      cssWidth: cssW,
      cssHeight: cssH,
      width: out.width,
      height: out.height,
      view: { x: 0, y: 0, w: parts.view.width, h: parts.view.height },
      colorbar: px(cb),
      scalebar: { ...px(sb), length_um },
      plot: plot && px(plot),
      cycles: cycles && px(cycles),
    },
  };
}
