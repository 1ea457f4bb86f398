/**
 * Perceptual colormaps as small lookup tables (no dependency): viridis for the Li site fraction, cividis for the
 * stress. Stops are the published 8-bit colours of matplotlib's maps, sampled evenly; between stops the colour is
 * interpolated linearly in sRGB, which the maps' fine sampling makes indistinguishable from the 256-entry tables.
 */
export type ColormapName = 'viridis' | 'cividis';

const STOPS: Record<ColormapName, string[]> = {
  viridis: [
    '#440154',
    '#48186a',
    '#472d7b',
    '#424086',
    '#3b528b',
    '#33638d',
    '#2c728e',
    '#26828e',
    '#21918c',
    '#1fa088',
    '#28ae80',
    '#3fbc73',
    '#5ec962',
    '#84d44b',
    '#addc30',
    '#d8e219',
    '#fde725',
  ],
  cividis: [
    '#00204c',
    '#002a66',
    '#00346e',
    '#273f6c',
    '#3c4a6b',
    '#4c556b',
    '#5b5f6d',
    '#686a70',
    '#757575',
    '#838178',
    '#928c78',
    '#a19876',
    '#b0a572',
    '#c0b16d',
    '#d1bf66',
    '#e1cc5c',
    '#f3db4f',
    '#ffe945',
  ],
};

function hexToRgb(h: string): [number, number, number] {
  const v = parseInt(h.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

const LUT_SIZE = 256;
const luts = new Map<ColormapName, Uint8Array>();

/** 256 × RGBA (8-bit) table of a colormap. */
export function colormapLut(name: ColormapName): Uint8Array {
  let lut = luts.get(name);
  if (lut) return lut;
  const stops = STOPS[name].map(hexToRgb);
  lut = new Uint8Array(LUT_SIZE * 4);
  for (let i = 0; i < LUT_SIZE; i++) {
    const t = (i / (LUT_SIZE - 1)) * (stops.length - 1);
    const k = Math.min(stops.length - 2, Math.floor(t));
    const f = t - k;
    for (let c = 0; c < 3; c++) lut[4 * i + c] = Math.round(stops[k][c] * (1 - f) + stops[k + 1][c] * f);
    lut[4 * i + 3] = 255;
  }
  luts.set(name, lut);
  return lut;
}

/** CSS colour of t ∈ [0, 1]. */
export function colormapCss(name: ColormapName, t: number): string {
  const lut = colormapLut(name);
  const i = Math.max(0, Math.min(LUT_SIZE - 1, Math.round(t * (LUT_SIZE - 1))));
  return `rgb(${lut[4 * i]},${lut[4 * i + 1]},${lut[4 * i + 2]})`;
}

/** Draw a horizontal colour bar with tick labels into a 2D context (legend, PNG export). */
export function drawColorbar(
  ctx: CanvasRenderingContext2D,
  name: ColormapName,
  x: number,
  y: number,
  w: number,
  h: number,
  min: number,
  max: number,
  label: string,
): void {
  const grad = ctx.createLinearGradient(x, 0, x + w, 0);
  for (let i = 0; i <= 16; i++) grad.addColorStop(i / 16, colormapCss(name, i / 16));
  ctx.fillStyle = grad;
  ctx.fillRect(x, y, w, h);
  ctx.strokeStyle = '#333';
  ctx.lineWidth = 1;
  ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
  ctx.fillStyle = '#222';
  ctx.font = '12px sans-serif';
  ctx.textBaseline = 'top';
  const ticks = 5;
  for (let i = 0; i < ticks; i++) {
    const t = i / (ticks - 1);
    const v = min + t * (max - min);
    const tx = x + t * w;
    ctx.fillRect(Math.round(tx), y + h, 1, 4);
    ctx.textAlign = i === 0 ? 'left' : i === ticks - 1 ? 'right' : 'center';
    ctx.fillText(formatTick(v, max - min), tx, y + h + 5);
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.fillText(label, x, y - 3);
}

export function formatTick(v: number, span: number): string {
  if (Math.abs(v) < 1e-12 * Math.max(1, Math.abs(span))) return '0';
  const digits = span >= 100 ? 0 : span >= 10 ? 1 : span >= 1 ? 2 : 3;
  return v.toFixed(digits);
}
