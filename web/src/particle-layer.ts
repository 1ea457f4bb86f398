/**
 * The three.js objects of one particle: the colour-mapped triangles, the grain boundaries, and the damaged
 * boundaries as dark-red bands whose width and opacity grow with the damage D. A quarter particle is drawn four
 * times (mirrored about x = 0 and y = 0) to show the full disk; mirrored copies share geometry and materials.
 *
 * Fields are scalar vertex attributes mapped to colour in the fragment shader through a 256-entry LUT texture,
 * so a new step only rewrites one Float32Array (no per-vertex colour work on the CPU).
 */
import * as THREE from 'three';
import { colormapLut, type ColormapName } from './colormap.js';
import type { WorkerMesh } from './worker-protocol.js';
import type { Snapshot } from './run-state.js';

export type FieldMode = 'x' | 'max_principal' | 'sxx' | 'syy' | 'sxy';

export const FIELD_LABELS: Record<FieldMode, string> = {
  x: 'Li site fraction x',
  max_principal: 'max principal stress σ₁ (MPa)',
  sxx: 'σxx (MPa)',
  syy: 'σyy (MPa)',
  sxy: 'σxy (MPa)',
};

export const FIELD_COLORMAP: Record<FieldMode, ColormapName> = {
  x: 'viridis',
  max_principal: 'cividis',
  sxx: 'cividis',
  syy: 'cividis',
  sxy: 'cividis',
};

const REGION_COATING = 1;
const INTERFACE_COATING = 1;
const CRACK_COLOR = new THREE.Vector3(0.5, 0.0, 0.02);

const lutTextures = new Map<ColormapName, THREE.DataTexture>();
function lutTexture(name: ColormapName): THREE.DataTexture {
  let t = lutTextures.get(name);
  if (!t) {
    t = new THREE.DataTexture(colormapLut(name), 256, 1, THREE.RGBAFormat, THREE.UnsignedByteType);
    t.colorSpace = THREE.NoColorSpace;
    t.magFilter = THREE.LinearFilter;
    t.minFilter = THREE.LinearFilter;
    t.needsUpdate = true;
    lutTextures.set(name, t);
  }
  return t;
}

const FILL_VERT = /* glsl */ `
attribute float value;
attribute float coat;
varying float vValue;
varying float vCoat;
void main() {
  vValue = value;
  vCoat = coat;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}`;

// LUT colours are sRGB already and are written as is (no colour-space conversion in a plain ShaderMaterial).
const FILL_FRAG = /* glsl */ `
uniform sampler2D uLut;
uniform float uMin;
uniform float uMax;
uniform float uSign;
uniform float uCoatGrey;
varying float vValue;
varying float vCoat;
void main() {
  if (vCoat > 0.5 && uCoatGrey > 0.5) { gl_FragColor = vec4(0.80, 0.80, 0.82, 1.0); return; }
  float t = clamp((uSign * vValue - uMin) / max(uMax - uMin, 1e-12), 0.0, 1.0);
  gl_FragColor = vec4(texture2D(uLut, vec2(t * (255.0 / 256.0) + 0.5 / 256.0, 0.5)).rgb, 1.0);
}`;

const CRACK_VERT = /* glsl */ `
attribute vec2 nrm;
attribute float damage;
uniform float uUmPerPx;
uniform float uMinPx;
uniform float uMaxPx;
uniform float uThreshold;
varying float vD;
void main() {
  vD = damage;
  float w = damage < uThreshold ? 0.0 : (uMinPx + (uMaxPx - uMinPx) * clamp(damage, 0.0, 1.0)) * uUmPerPx;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position + vec3(nrm * w, 0.0), 1.0);
}`;

const CRACK_FRAG = /* glsl */ `
uniform vec3 uColor;
uniform float uThreshold;
varying float vD;
void main() {
  if (vD < uThreshold) discard;
  gl_FragColor = vec4(uColor, 0.3 + 0.7 * clamp(vD, 0.0, 1.0));
}`;

/** Uniforms shared by all layers (crack width depends on the zoom). */
export const sharedCrackUniforms = {
  uUmPerPx: { value: 0.01 },
  uMinPx: { value: 1.0 },
  uMaxPx: { value: 3.5 },
  uThreshold: { value: 0.02 },
  uColor: { value: CRACK_COLOR },
};

export class ParticleLayer {
  readonly root = new THREE.Group();
  mesh: WorkerMesh | null = null;
  private fillGeom: THREE.BufferGeometry | null = null;
  private crackGeom: THREE.BufferGeometry | null = null;
  private gbGeom: THREE.BufferGeometry | null = null;
  private readonly shared = {
    uLut: { value: lutTexture('viridis') as THREE.Texture },
    uMin: { value: 0 },
    uMax: { value: 1 },
    uCoatGrey: { value: 1 },
  };
  private readonly fillMat: THREE.ShaderMaterial;
  /** For the mirrored copies with one reflection: σxy changes sign. */
  private readonly fillMatFlipped: THREE.ShaderMaterial;
  private readonly crackMat: THREE.ShaderMaterial;
  private readonly gbMat = new THREE.LineBasicMaterial({
    color: 0x111111,
    transparent: true,
    opacity: 0.35,
    depthTest: false,
  });
  private mode: FieldMode = 'x';

  constructor() {
    const mk = (sign: number) =>
      new THREE.ShaderMaterial({
        uniforms: { ...this.shared, uSign: { value: sign } },
        vertexShader: FILL_VERT,
        fragmentShader: FILL_FRAG,
        side: THREE.DoubleSide,
        depthTest: false,
      });
    this.fillMat = mk(1);
    this.fillMatFlipped = mk(1);
    this.crackMat = new THREE.ShaderMaterial({
      uniforms: sharedCrackUniforms,
      vertexShader: CRACK_VERT,
      fragmentShader: CRACK_FRAG,
      side: THREE.DoubleSide,
      transparent: true,
      depthTest: false,
      depthWrite: false,
    });
  }

  /** Build the geometry of a mesh (once per run). */
  setMesh(mesh: WorkerMesh): void {
    this.clear();
    this.mesh = mesh;
    const { triCount, triNodes, coords_um: xy, triRegion } = mesh;

    // Fill: non-indexed (3 vertices per triangle) so both nodal and per-triangle fields can be shown.
    const pos = new Float32Array(9 * triCount);
    const coat = new Float32Array(3 * triCount);
    for (let t = 0; t < triCount; t++) {
      for (let k = 0; k < 3; k++) {
        const n = triNodes[3 * t + k];
        pos[9 * t + 3 * k] = xy[2 * n];
        pos[9 * t + 3 * k + 1] = xy[2 * n + 1];
        coat[3 * t + k] = triRegion[t] === REGION_COATING ? 1 : 0;
      }
    }
    const fill = new THREE.BufferGeometry();
    fill.setAttribute('position', new THREE.BufferAttribute(pos, 3));
    fill.setAttribute('coat', new THREE.BufferAttribute(coat, 1));
    fill.setAttribute(
      'value',
      new THREE.BufferAttribute(new Float32Array(3 * triCount), 1).setUsage(THREE.DynamicDrawUsage),
    );
    fill.computeBoundingSphere();
    this.fillGeom = fill;

    // Grain boundaries: one line per interface element (side a).
    const ni = mesh.interfaceCount;
    const gbPos = new Float32Array(6 * ni);
    // Cracks: a quad per interface, 4 vertices offset along ±n by a damage-dependent width in the shader.
    const cPos = new Float32Array(12 * ni);
    const cNrm = new Float32Array(8 * ni);
    const cIdx = new Uint32Array(6 * ni);
    for (let i = 0; i < ni; i++) {
      const a0 = mesh.interfaceNodes[4 * i];
      const a1 = mesh.interfaceNodes[4 * i + 1];
      const x0 = xy[2 * a0],
        y0 = xy[2 * a0 + 1],
        x1 = xy[2 * a1],
        y1 = xy[2 * a1 + 1];
      gbPos.set([x0, y0, 0, x1, y1, 0], 6 * i);
      const L = Math.hypot(x1 - x0, y1 - y0) || 1;
      const nx = (y1 - y0) / L,
        ny = -(x1 - x0) / L;
      cPos.set([x0, y0, 0, x0, y0, 0, x1, y1, 0, x1, y1, 0], 12 * i);
      cNrm.set([-nx, -ny, nx, ny, -nx, -ny, nx, ny], 8 * i);
      const v = 4 * i;
      cIdx.set([v, v + 1, v + 2, v + 1, v + 3, v + 2], 6 * i);
    }
    const gb = new THREE.BufferGeometry();
    gb.setAttribute('position', new THREE.BufferAttribute(gbPos, 3));
    this.gbGeom = gb;
    const crack = new THREE.BufferGeometry();
    crack.setAttribute('position', new THREE.BufferAttribute(cPos, 3));
    crack.setAttribute('nrm', new THREE.BufferAttribute(cNrm, 2));
    crack.setAttribute(
      'damage',
      new THREE.BufferAttribute(new Float32Array(4 * ni), 1).setUsage(THREE.DynamicDrawUsage),
    );
    crack.setIndex(new THREE.BufferAttribute(cIdx, 1));
    this.crackGeom = crack;

    const mirrors: [number, number][] =
      mesh.shape === 'quarter'
        ? [
            [1, 1],
            [-1, 1],
            [-1, -1],
            [1, -1],
          ]
        : [[1, 1]];
    for (const [sx, sy] of mirrors) {
      const q = new THREE.Group();
      q.scale.set(sx, sy, 1);
      const f = new THREE.Mesh(fill, sx * sy < 0 ? this.fillMatFlipped : this.fillMat);
      f.renderOrder = 0;
      f.frustumCulled = false;
      const l = new THREE.LineSegments(gb, this.gbMat);
      l.renderOrder = 1;
      l.frustumCulled = false;
      const c = new THREE.Mesh(crack, this.crackMat);
      c.renderOrder = 2;
      c.frustumCulled = false;
      q.add(f, l, c);
      this.root.add(q);
    }
  }

  /** Write a snapshot's field into the vertex attributes. */
  update(s: Snapshot, mode: FieldMode, range: [number, number], cmap: ColormapName = FIELD_COLORMAP[mode]): void {
    const mesh = this.mesh;
    if (!mesh || !this.fillGeom || !this.crackGeom) return;
    this.mode = mode;
    const value = this.fillGeom.getAttribute('value') as THREE.BufferAttribute;
    const v = value.array as Float32Array;
    const tn = mesh.triNodes;
    if (mode === 'x') {
      for (let i = 0; i < v.length; i++) v[i] = s.x[tn[i]];
    } else {
      const st = s.stress_MPa;
      for (let t = 0; t < mesh.triCount; t++) {
        const val = stressValue(mode, st[4 * t], st[4 * t + 1], st[4 * t + 2]);
        v[3 * t] = val;
        v[3 * t + 1] = val;
        v[3 * t + 2] = val;
      }
    }
    value.needsUpdate = true;
    const dmg = this.crackGeom.getAttribute('damage') as THREE.BufferAttribute;
    const d = dmg.array as Float32Array;
    for (let i = 0; i < mesh.interfaceCount; i++) {
      const di = s.damage[i];
      d[4 * i] = di;
      d[4 * i + 1] = di;
      d[4 * i + 2] = di;
      d[4 * i + 3] = di;
    }
    dmg.needsUpdate = true;
    this.shared.uLut.value = lutTexture(cmap);
    this.shared.uMin.value = range[0];
    this.shared.uMax.value = range[1];
    this.shared.uCoatGrey.value = mode === 'x' ? 1 : 0;
    this.fillMatFlipped.uniforms.uSign.value = mode === 'sxy' ? -1 : 1;
  }

  /**
   * Show any scalar field: `values` per triangle (length triCount) or per node (nodeCount), through the colour map
   * over `range`; `bands` (per interface element, 0–1, or null for none) drives the boundary bands as the damage
   * does. The synthesis view (synthesis-view.ts) draws its lithiated / rock-salt / void maps and the open grain
   * boundaries with it.
   */
  showValues(
    values: ArrayLike<number>,
    perTriangle: boolean,
    range: [number, number],
    cmap: ColormapName,
    bands: ArrayLike<number> | null,
  ): void {
    const mesh = this.mesh;
    if (!mesh || !this.fillGeom || !this.crackGeom) return;
    const value = this.fillGeom.getAttribute('value') as THREE.BufferAttribute;
    const v = value.array as Float32Array;
    const tn = mesh.triNodes;
    if (perTriangle) for (let i = 0; i < v.length; i++) v[i] = values[Math.floor(i / 3)];
    else for (let i = 0; i < v.length; i++) v[i] = values[tn[i]];
    value.needsUpdate = true;
    const dmg = this.crackGeom.getAttribute('damage') as THREE.BufferAttribute;
    const d = dmg.array as Float32Array;
    for (let i = 0; i < mesh.interfaceCount; i++) d.fill(bands ? bands[i] : 0, 4 * i, 4 * i + 4);
    dmg.needsUpdate = true;
    this.shared.uLut.value = lutTexture(cmap);
    this.shared.uMin.value = range[0];
    this.shared.uMax.value = range[1];
    this.shared.uCoatGrey.value = 0;
    this.fillMatFlipped.uniforms.uSign.value = 1;
  }

  /** The per-vertex values drawn now (3 per triangle, Float32 as uploaded), for tests. */
  shownValues(): Float32Array {
    const value = this.fillGeom?.getAttribute('value') as THREE.BufferAttribute | undefined;
    return value ? Float32Array.from(value.array as Float32Array) : new Float32Array(0);
  }

  /**
   * What is at (x, y) µm (a quarter particle's mirrored copies map back to the computed quadrant): the grain
   * (id, c-axis orientation, mean x over its triangles) or, within `tol_um` of one, the grain boundary (its
   * damage D and normal opening). Null outside the particle.
   */
  describeAt(x_um: number, y_um: number, s: Snapshot, tol_um = 0.03): string | null {
    const m = this.mesh;
    if (!m) return null;
    const px = m.shape === 'quarter' ? Math.abs(x_um) : x_um;
    const py = m.shape === 'quarter' ? Math.abs(y_um) : y_um;
    const xy = m.coords_um;
    // nearest interface element
    let best = -1;
    let bestD = tol_um;
    for (let i = 0; i < m.interfaceCount; i++) {
      const a = m.interfaceNodes[4 * i];
      const b = m.interfaceNodes[4 * i + 1];
      const d = segmentDistance(px, py, xy[2 * a], xy[2 * a + 1], xy[2 * b], xy[2 * b + 1]);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    if (best >= 0) {
      const kind = m.interfaceKind[best] === INTERFACE_COATING ? 'coating interface' : 'grain boundary';
      return `${kind} ${m.interfaceGrainA[best]}|${m.interfaceGrainB[best]} · D ${s.damage[best].toFixed(3)} · opening ${s.opening_nm[best].toFixed(2)} nm`;
    }
    for (let t = 0; t < m.triCount; t++) {
      const [a, b, c] = [m.triNodes[3 * t], m.triNodes[3 * t + 1], m.triNodes[3 * t + 2]];
      if (!inTriangle(px, py, xy[2 * a], xy[2 * a + 1], xy[2 * b], xy[2 * b + 1], xy[2 * c], xy[2 * c + 1])) continue;
      if (m.triRegion[t] === REGION_COATING) return 'coating';
      const g = m.triGrain[t];
      let sum = 0;
      let n = 0;
      for (let u = 0; u < m.triCount; u++)
        if (m.triGrain[u] === g)
          for (let k = 0; k < 3; k++) {
            sum += s.x[m.triNodes[3 * u + k]];
            n++;
          }
      const deg = ((m.grainOrientation_rad[g] * 180) / Math.PI).toFixed(0);
      return `grain ${g} · c-axis ${deg}° · mean x ${(sum / Math.max(1, n)).toFixed(3)}`;
    }
    return null;
  }

  get fieldMode(): FieldMode {
    return this.mode;
  }

  /** Outer radius drawn (particle + coating), µm. */
  get extent_um(): number {
    return this.mesh ? this.mesh.radius_um + this.mesh.coatingThickness_um : 0;
  }

  clear(): void {
    for (const q of [...this.root.children]) this.root.remove(q);
    this.fillGeom?.dispose();
    this.crackGeom?.dispose();
    this.gbGeom?.dispose();
    this.fillGeom = this.crackGeom = this.gbGeom = null;
    this.mesh = null;
  }
}

export function stressValue(mode: FieldMode, sxx: number, syy: number, sxy: number): number {
  switch (mode) {
    case 'sxx':
      return sxx;
    case 'syy':
      return syy;
    case 'sxy':
      return sxy;
    default: {
      const c = 0.5 * (sxx + syy);
      const r = Math.hypot(0.5 * (sxx - syy), sxy);
      return c + r;
    }
  }
}

/**
 * Colour range of the Li site fraction over the grains of the shown snapshots: 0–1 (`fixed`), or their min–max
 * rounded out to 0.01 (at least 0.02 wide) so that small gradients are visible.
 */
export function liRange(items: { mesh: WorkerMesh; snap: Snapshot }[], auto: boolean): [number, number] {
  if (!auto) return [0, 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (const { mesh, snap } of items) {
    for (let t = 0; t < mesh.triCount; t++) {
      if (mesh.triRegion[t] === REGION_COATING) continue;
      for (let k = 0; k < 3; k++) {
        const v = snap.x[mesh.triNodes[3 * t + k]];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (!(hi >= lo)) return [0, 1];
  lo = Math.max(0, Math.floor(lo * 100) / 100);
  hi = Math.min(1, Math.ceil(hi * 100) / 100);
  if (hi - lo < 0.02) {
    const c = 0.5 * (lo + hi);
    lo = Math.max(0, c - 0.01);
    hi = Math.min(1, lo + 0.02);
  }
  return [lo, hi];
}

/** Robust colour range of a stress field over several snapshots: 1st–99th percentile of the grain triangles. */
export function stressRange(mode: FieldMode, items: { mesh: WorkerMesh; snap: Snapshot }[]): [number, number] {
  const sample: number[] = [];
  for (const { mesh, snap } of items) {
    const stride = Math.max(1, Math.floor(mesh.triCount / 20000));
    for (let t = 0; t < mesh.triCount; t += stride) {
      const st = snap.stress_MPa;
      sample.push(stressValue(mode, st[4 * t], st[4 * t + 1], st[4 * t + 2]));
    }
  }
  if (!sample.length) return [0, 1];
  sample.sort((a, b) => a - b);
  let lo = sample[Math.floor(0.01 * (sample.length - 1))];
  let hi = sample[Math.ceil(0.99 * (sample.length - 1))];
  if (mode === 'sxy') {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    lo = -m;
    hi = m;
  }
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  return [lo, hi];
}

function segmentDistance(px: number, py: number, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const L2 = dx * dx + dy * dy || 1e-30;
  const t = Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / L2));
  return Math.hypot(px - (x0 + t * dx), py - (y0 + t * dy));
}

function inTriangle(px: number, py: number, ax: number, ay: number, bx: number, by: number, cx: number, cy: number) {
  const d1 = (px - bx) * (ay - by) - (ax - bx) * (py - by);
  const d2 = (px - cx) * (by - cy) - (bx - cx) * (py - cy);
  const d3 = (px - ax) * (cy - ay) - (cx - ax) * (py - ay);
  const neg = d1 < 0 || d2 < 0 || d3 < 0;
  const pos = d1 > 0 || d2 > 0 || d3 > 0;
  return !(neg && pos);
}
