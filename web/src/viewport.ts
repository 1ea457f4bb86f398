/**
 * One WebGL canvas showing the particles side by side (one viewport each, scissored), with a shared orthographic
 * camera so both pan and zoom together: drag to pan, wheel to zoom about the cursor, double-click to reset.
 * Rendering is on demand (a dirty flag checked once per animation frame). `preserveDrawingBuffer` keeps the last
 * frame readable for the PNG export and the tests.
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
  /** Mean CPU time of the last renders (ms, exponential average). */
  frameTime_ms = 0;
  frames = 0;
  onRender: (() => void) | null = null;

  constructor(
    readonly canvas: HTMLCanvasElement,
    count: number,
  ) {
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true, alpha: false });
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
    const tick = () => {
      if (this.dirty) this.render();
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  /** Number of viewports actually shown (a layer without a mesh still takes its place if it is enabled). */
  visible: boolean[] = [true, true];

  invalidate(): void {
    this.dirty = true;
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
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    this.renderer.setSize(w, h, false);
    this.invalidate();
  }

  private viewportRects(): { x: number; y: number; w: number; h: number }[] {
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    const shown = this.layers.map((_, i) => i).filter((i) => this.visible[i] !== false);
    const n = Math.max(1, shown.length);
    const rects: { x: number; y: number; w: number; h: number }[] = this.layers.map(() => ({ x: 0, y: 0, w: 0, h: 0 }));
    shown.forEach((i, k) => {
      rects[i] = { x: Math.round((k * w) / n), y: 0, w: Math.round(((k + 1) * w) / n) - Math.round((k * w) / n), h };
    });
    return rects;
  }

  /** Render every visible particle into its viewport; returns the CPU time (ms). */
  render(): number {
    const t0 = performance.now();
    this.dirty = false;
    const rects = this.viewportRects();
    const r = this.renderer;
    const fullW = this.canvas.clientWidth;
    const fullH = this.canvas.clientHeight;
    r.setScissor(0, 0, fullW, fullH);
    r.setViewport(0, 0, fullW, fullH);
    r.clear();
    const h = rects.find((q) => q.w > 0)?.h ?? fullH;
    sharedCrackUniforms.uUmPerPx.value = (2 * this.halfHeight) / Math.max(1, h);
    rects.forEach((rect, i) => {
      if (rect.w <= 0) return;
      const aspect = rect.w / rect.h;
      const cam = this.camera;
      cam.left = this.cx - this.halfHeight * aspect;
      cam.right = this.cx + this.halfHeight * aspect;
      cam.top = this.cy + this.halfHeight;
      cam.bottom = this.cy - this.halfHeight;
      cam.updateProjectionMatrix();
      r.setViewport(rect.x, rect.y, rect.w, rect.h);
      r.setScissor(rect.x, rect.y, rect.w, rect.h);
      r.render(this.scenes[i], cam);
    });
    const dt = performance.now() - t0;
    this.frameTime_ms = this.frames === 0 ? dt : 0.9 * this.frameTime_ms + 0.1 * dt;
    this.frames++;
    this.onRender?.();
    return dt;
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

  /** Screen (CSS px, canvas-relative) → world (µm) in the viewport under the point. */
  private toWorld(px: number, py: number): [number, number] {
    const rects = this.viewportRects();
    const rect = rects.find((q) => q.w > 0 && px >= q.x && px < q.x + q.w) ?? rects.find((q) => q.w > 0)!;
    const s = (2 * this.halfHeight) / rect.h;
    const wx = this.cx + (px - (rect.x + rect.w / 2)) * s;
    const wy = this.cy - (py - rect.h / 2) * s;
    return [wx, wy];
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
      const s = (2 * this.halfHeight) / Math.max(1, c.clientHeight);
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
