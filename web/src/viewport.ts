/**
 * One WebGL canvas showing the particles side by side (one viewport each, scissored), with a shared orthographic
 * camera so both pan and zoom together: drag to pan, wheel to zoom about the cursor, double-click to reset.
 * Rendering is on demand: a frame is requested and drawn only when a particle got new data or the view moved (no
 * animation-frame loop while nothing changes).
 *
 * No `preserveDrawingBuffer`: with it the browser copies the drawing buffer every frame, and with a software
 * compositor (no GPU) it reads the canvas back (GLES2::ReadPixels) every frame, which blocked the page for
 * 100–200 ms per frame with two particles running. Readers of the pixels (PNG export, tests) render and read in
 * the same task instead. Antialiasing (MSAA) is off when the WebGL renderer is a software one (SwiftShader,
 * llvmpipe), where every sample is computed on the CPU cores the engine workers need.
 */
import * as THREE from 'three';
import { ParticleLayer, sharedCrackUniforms } from './particle-layer.js';

export class Viewport {
  readonly renderer: THREE.WebGLRenderer;
  readonly layers: ParticleLayer[];
  private readonly scenes: THREE.Scene[];
  private readonly camera = new THREE.OrthographicCamera(-1, 1, 1, -1, -10, 10);
  /** Camera centre (µm) and half-height of the view (µm). */
  private cx = 0;
  private cy = 0;
  private halfHeight = 6;
  private dirty = true;
  private drag: { x: number; y: number; id: number } | null = null;
  /** Time from a render to the next animation frame (ms, exponential average). */
  presentLatency_ms = 0;
  /** Mean CPU time of the last renders (ms, exponential average). */
  frameTime_ms = 0;
  frames = 0;
  onRender: (() => void) | null = null;
  /** The WebGL renderer is a software one (no GPU). */
  readonly software: boolean;

  constructor(
    readonly canvas: HTMLCanvasElement,
    count: number,
  ) {
    this.software = isSoftwareGl();
    this.renderer = new THREE.WebGLRenderer({
      canvas,
      antialias: !this.software,
      preserveDrawingBuffer: false,
      alpha: false,
      powerPreference: 'high-performance',
    });
    this.renderer.setClearColor(0xffffff, 1);
    this.renderer.setScissorTest(true);
    this.layers = [];
    this.scenes = [];
    for (let i = 0; i < count; i++) {
      const layer = new ParticleLayer();
      const scene = new THREE.Scene();
      scene.add(layer.root);
      this.layers.push(layer);
      this.scenes.push(scene);
    }
    this.installControls();
    new ResizeObserver(() => this.resize()).observe(canvas);
    this.resize();
  }

  private frameQueued = false;

  /** Which layers take a place in the view (an enabled slot keeps its place before its mesh arrives). */
  visible: boolean[] = [];

  /** Ask for a render in the next animation frame (none is requested while nothing changes). */
  invalidate(): void {
    this.dirty = true;
    if (this.frameQueued) return;
    this.frameQueued = true;
    requestAnimationFrame(() => {
      this.frameQueued = false;
      if (this.dirty) this.render();
    });
  }

  /** Fit the largest particle. */
  resetView(): void {
    const ext = Math.max(1, ...this.layers.map((l) => l.extent_um));
    this.cx = 0;
    this.cy = 0;
    this.halfHeight = ext * 1.14;
    this.invalidate();
  }

  private resize(): void {
    const w = Math.max(1, this.canvas.clientWidth);
    const h = Math.max(1, this.canvas.clientHeight);
    this.renderer.setPixelRatio(Math.min(this.software ? 1 : 2, window.devicePixelRatio || 1));
    this.renderer.setSize(w, h, false);
    this.invalidate();
  }

  viewportRects(): { x: number; y: number; w: number; h: number }[] {
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    const shown = this.layers.map((_, i) => i).filter((i) => this.visible[i] !== false);
    const { cols, rows } = gridOf(shown.length, w, h);
    const rects: { x: number; y: number; w: number; h: number }[] = this.layers.map(() => ({ x: 0, y: 0, w: 0, h: 0 }));
    shown.forEach((i, k) => {
      const c = k % cols;
      const r = Math.floor(k / cols);
      const x0 = Math.round((c * w) / cols);
      const x1 = Math.round(((c + 1) * w) / cols);
      const y0 = Math.round((r * h) / rows);
      const y1 = Math.round(((r + 1) * h) / rows);
      // WebGL's y runs up: row 0 at the top
      rects[i] = { x: x0, y: h - y1, w: x1 - x0, h: y1 - y0 };
    });
    return rects;
  }

  /** Render every visible particle into its viewport; returns the CPU time (ms). */
  render(): number {
    const t0 = performance.now();
    this.dirty = false;
    const r = this.renderer;
    const fullW = this.canvas.clientWidth;
    const fullH = this.canvas.clientHeight;
    r.setScissor(0, 0, fullW, fullH);
    r.setViewport(0, 0, fullW, fullH);
    r.clear();
    this.drawViewports(1, (x, y, w, h) => {
      r.setViewport(x, y, w, h);
      r.setScissor(x, y, w, h);
    });
    const dt = performance.now() - t0;
    this.frameTime_ms = this.frames === 0 ? dt : 0.9 * this.frameTime_ms + 0.1 * dt;
    // How long until the browser can show the next frame after this render (the compositor waits for the GPU
    // side; with software GL on busy cores that is where the time goes, not in the page).
    requestAnimationFrame((now) => {
      const lat = Math.max(0, now - t0);
      this.presentLatency_ms = this.frames <= 1 ? lat : 0.7 * this.presentLatency_ms + 0.3 * lat;
    });
    this.frames++;
    this.onRender?.();
    return dt;
  }

  /**
   * Render each visible particle with the shared camera; `place(x, y, w, h)` sets the viewport and scissor of one
   * (CSS px of the view times `scale`, y up). Crack bands keep their width in µm at any scale (uUmPerPx is the
   * on-screen µm per CSS px), so a scaled image is the view enlarged, not a zoomed-out one.
   */
  private drawViewports(scale: number, place: (x: number, y: number, w: number, h: number) => void): void {
    const rects = this.viewportRects();
    const fullH = this.canvas.clientHeight;
    const h = Math.min(...rects.filter((q) => q.w > 0).map((q) => Math.min(q.h, q.w)), fullH);
    sharedCrackUniforms.uUmPerPx.value = (2 * this.halfHeight) / Math.max(1, h);
    rects.forEach((rect, i) => {
      if (rect.w <= 0) return;
      // the same µm per pixel in every viewport: half-extent halfHeight over the shorter side of the smallest
      const s = this.halfHeight / (h / 2);
      const cam = this.camera;
      cam.left = this.cx - (s * rect.w) / 2;
      cam.right = this.cx + (s * rect.w) / 2;
      cam.top = this.cy + (s * rect.h) / 2;
      cam.bottom = this.cy - (s * rect.h) / 2;
      cam.updateProjectionMatrix();
      const x0 = Math.round(rect.x * scale);
      const y0 = Math.round(rect.y * scale);
      place(x0, y0, Math.round((rect.x + rect.w) * scale) - x0, Math.round((rect.y + rect.h) * scale) - y0);
      this.renderer.render(this.scenes[i], cam);
    });
  }

  /** The largest image (px per side) renderImage can make here (the WebGL limits). */
  maxImageSide(): number {
    const gl = this.renderer.getContext();
    const dims = gl.getParameter(gl.MAX_VIEWPORT_DIMS) as Int32Array;
    return Math.min(
      gl.getParameter(gl.MAX_RENDERBUFFER_SIZE) as number,
      gl.getParameter(gl.MAX_TEXTURE_SIZE) as number,
      dims[0],
      dims[1],
    );
  }

  /**
   * The view rendered off-screen at `scale` × its CSS size (rounded), into a 2D canvas: a render target the size
   * of the image, read back in the same task. The on-screen canvas and its drawing buffer are not touched, so the
   * live view is not disturbed. Throws a RangeError past the WebGL size limit (maxImageSide).
   */
  renderImage(scale: number): HTMLCanvasElement {
    const W = Math.round(this.canvas.clientWidth * scale);
    const H = Math.round(this.canvas.clientHeight * scale);
    const max = this.maxImageSide();
    if (W > max || H > max || W < 1 || H < 1)
      throw new RangeError(`a ${W} × ${H} px view is past this browser's WebGL limit of ${max} px per side`);
    const r = this.renderer;
    const target = new THREE.WebGLRenderTarget(W, H, { depthBuffer: false });
    const out = document.createElement('canvas');
    out.width = W;
    out.height = H;
    try {
      r.setRenderTarget(target);
      target.scissorTest = false;
      target.viewport.set(0, 0, W, H);
      r.clear();
      target.scissorTest = true;
      this.drawViewports(scale, (x, y, w, h) => {
        target.viewport.set(x, y, w, h);
        target.scissor.set(x, y, w, h);
        r.setRenderTarget(target); // applies the target's viewport and scissor
      });
      const img = new ImageData(W, H);
      const px = new Uint8Array(img.data.buffer);
      r.readRenderTargetPixels(target, 0, 0, W, H, px);
      // WebGL rows run bottom-up; images top-down
      const row = new Uint8Array(4 * W);
      for (let y = 0; y < H >> 1; y++) {
        const a = 4 * W * y;
        const b = 4 * W * (H - 1 - y);
        row.set(px.subarray(a, a + 4 * W));
        px.copyWithin(a, b, b + 4 * W);
        px.set(row, b);
      }
      out.getContext('2d')!.putImageData(img, 0, 0);
    } finally {
      r.setRenderTarget(null);
      target.dispose();
      this.invalidate();
    }
    return out;
  }

  /** Render `n` frames, each waited for with gl.finish(); mean wall time per frame (ms). */
  measureFrames(n: number): number {
    const gl = this.renderer.getContext();
    this.render();
    gl.finish();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      this.render();
      gl.finish();
    }
    return (performance.now() - t0) / n;
  }

  /** µm per CSS pixel (the same in every viewport). */
  umPerPx(): number {
    const rects = this.viewportRects().filter((q) => q.w > 0);
    const h = Math.min(...rects.map((q) => Math.min(q.h, q.w)), this.canvas.clientHeight);
    return (2 * this.halfHeight) / Math.max(1, h);
  }

  /** Screen (CSS px, canvas-relative) → the layer under the point and world (µm) coordinates in it. */
  pick(px: number, py: number): { layer: number; x_um: number; y_um: number } | null {
    const H = this.canvas.clientHeight;
    const rects = this.viewportRects();
    const i = rects.findIndex((q) => q.w > 0 && px >= q.x && px < q.x + q.w && H - py >= q.y && H - py < q.y + q.h);
    if (i < 0) return null;
    const q = rects[i];
    const s = this.umPerPx();
    return { layer: i, x_um: this.cx + (px - (q.x + q.w / 2)) * s, y_um: this.cy + (H - py - (q.y + q.h / 2)) * s };
  }

  private toWorld(px: number, py: number): [number, number] {
    const p = this.pick(px, py);
    if (p) return [p.x_um, p.y_um];
    return [this.cx, this.cy];
  }

  private installControls(): void {
    const c = this.canvas;
    c.style.touchAction = 'none';
    c.addEventListener('pointerdown', (e) => {
      this.drag = { x: e.clientX, y: e.clientY, id: e.pointerId };
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      if (!this.drag || this.drag.id !== e.pointerId) return;
      const s = this.umPerPx();
      this.cx -= (e.clientX - this.drag.x) * s;
      this.cy += (e.clientY - this.drag.y) * s;
      this.drag.x = e.clientX;
      this.drag.y = e.clientY;
      this.invalidate();
    });
    const end = (e: PointerEvent) => {
      if (this.drag?.id === e.pointerId) this.drag = null;
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
    c.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const b = c.getBoundingClientRect();
        const px = e.clientX - b.left;
        const py = e.clientY - b.top;
        const [wx, wy] = this.toWorld(px, py);
        const f = Math.exp(Math.sign(e.deltaY) * Math.min(Math.abs(e.deltaY), 200) * 0.002);
        const next = Math.min(50, Math.max(0.05, this.halfHeight * f));
        const k = next / this.halfHeight;
        // keep the world point under the cursor fixed
        this.cx = wx - (wx - this.cx) * k;
        this.cy = wy - (wy - this.cy) * k;
        this.halfHeight = next;
        this.invalidate();
      },
      { passive: false },
    );
    c.addEventListener('dblclick', () => this.resetView());
  }
}

/** Columns × rows for n viewports in a w × h canvas: the layout whose square cells are largest. */
export function gridOf(n: number, w: number, h: number): { cols: number; rows: number } {
  let best = { cols: 1, rows: 1 };
  let bestSide = -1;
  for (let cols = 1; cols <= Math.max(1, n); cols++) {
    const rows = Math.ceil(Math.max(1, n) / cols);
    const side = Math.min(w / cols, h / rows);
    if (side > bestSide + 1e-9) {
      bestSide = side;
      best = { cols, rows };
    }
  }
  return best;
}

/** Whether WebGL here is a software renderer (SwiftShader, llvmpipe, …): asked once of a throw-away context. */
function isSoftwareGl(): boolean {
  try {
    const c = document.createElement('canvas');
    const gl = (c.getContext('webgl2') ?? c.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return true;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|software|softpipe|basic render/i.test(name);
  } catch {
    return false;
  }
}
