/**
 * Colormaps as small lookup tables (no dependency): viridis (default) or turbo for the Li site fraction, cividis
 * for the stress. Stops are the published 8-bit colours of matplotlib's maps, sampled evenly; between stops the colour is
 * interpolated linearly in sRGB, which the maps' fine sampling makes indistinguishable from the 256-entry tables.
 */
export type ColormapName = 'viridis' | 'cividis' | 'turbo';

const STOPS: Record<'viridis' | 'cividis', string[]> = {
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
  lut = new Uint8Array(LUT_SIZE * 4);
  if (name === 'turbo') {
    for (let i = 0; i < LUT_SIZE; i++) {
      const rgb = turbo(i / (LUT_SIZE - 1));
      for (let c = 0; c < 3; c++) lut[4 * i + c] = Math.round(255 * Math.min(1, Math.max(0, rgb[c])));
      lut[4 * i + 3] = 255;
    }
    luts.set(name, lut);
    return lut;
  }
  const stops = STOPS[name].map(hexToRgb);
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

/**
 * Turbo (Google's rainbow map, the colours of the paper's figures), by its published degree-5 polynomial
 * approximation (A. Mikhailov, 2019), which follows the published 256-entry table closely.
 */
function turbo(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t));
  const poly = (c: number[]) => c.reduceRight((acc, k) => acc * x + k, 0);
  return [
    poly([0.13572138, 4.6153926, -42.66032258, 132.13108234, -152.94239396, 59.28637943]),
    poly([0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604]),
    poly([0.1066733, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973]),
  ];
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
