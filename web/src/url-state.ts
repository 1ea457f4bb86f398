/**
 * The page's state in its URL (shareable; the address bar follows every change):
 *
 *   ?A=bare&B=mf-coated&C=none&D=dense-porous      the particle type of each slot ('none' = empty slot)
 *   &A.grains=30&B.coating=0.3                      a field of one slot (panel field ids, panel-fields.ts)
 *   &all.mesh=0.2                                   a field of every slot that has a particle
 *   &field=max_principal&axis=time&cmap=turbo&range=0.2,0.9&run=1
 *
 * A field key without a slot (`?coating=0.3`) applies to no slot: it is reported on the page and ignored, so a
 * value never lands silently on a particle it was not meant for. `a` and `b` are accepted for `A` and `B`.
 * Only fields that differ from the slot's particle type are written. A slot holding a loaded config file is
 * written as its type 'loaded' is not (the file is not in the URL); the page says so.
 */
import { FIELDS, VARIANT_LABELS, type Variant } from './panel-fields.js';
import type { FieldMode } from './particle-layer.js';
import type { PlotAxis } from './plot.js';
import type { ColormapName } from './colormap.js';

export const URL_SLOTS = ['A', 'B', 'C', 'D'] as const;
const FIELD_IDS = new Set(FIELDS.map((f) => f.id));
const VARIANTS = new Set(Object.keys(VARIANT_LABELS).filter((v) => v !== 'loaded'));
const FIELD_MODES = new Set(['x', 'max_principal', 'sxx', 'syy', 'sxy']);

export interface SlotQuery {
  variant: Variant | null;
  values: Record<string, string>;
}

export interface AppQuery {
  slots: (SlotQuery | null)[];
  field: FieldMode | null;
  axis: PlotAxis | null;
  colormap: ColormapName | null;
  range: [number, number] | null;
  run: boolean;
  /** What was not understood (shown on the page). */
  problems: string[];
}

/** Parse a query string into per-slot settings and view options. */
export function parseQuery(q: URLSearchParams): AppQuery {
  const out: AppQuery = {
    slots: URL_SLOTS.map(() => null),
    field: null,
    axis: null,
    colormap: null,
    range: null,
    run: false,
    problems: [],
  };
  const slot = (i: number) => (out.slots[i] ??= { variant: null, values: {} });
  const common: Record<string, string> = {};
  for (const [rawKey, v] of q) {
    const key = rawKey === 'a' ? 'A' : rawKey === 'b' ? 'B' : rawKey;
    const i = URL_SLOTS.indexOf(key as (typeof URL_SLOTS)[number]);
    if (i >= 0) {
      if (VARIANTS.has(v)) slot(i).variant = v as Variant;
      else out.problems.push(`${rawKey}=${v}: not a particle type (${[...VARIANTS].join(', ')}); ignored.`);
      continue;
    }
    const m = /^([A-Da-d]|all)\.(\w+)$/.exec(key);
    if (m) {
      if (!FIELD_IDS.has(m[2])) {
        out.problems.push(`${rawKey}: no such field (${[...FIELD_IDS].join(', ')}); ignored.`);
        continue;
      }
      if (m[1] === 'all') common[m[2]] = v;
      else slot(URL_SLOTS.indexOf(m[1].toUpperCase() as (typeof URL_SLOTS)[number])).values[m[2]] = v;
      continue;
    }
    switch (key) {
      case 'run':
        out.run = v === '1' || v === 'true';
        break;
      case 'field':
        if (FIELD_MODES.has(v)) out.field = v as FieldMode;
        else out.problems.push(`field=${v}: allowed ${[...FIELD_MODES].join(', ')}; ignored.`);
        break;
      case 'axis':
        if (v === 'soc' || v === 'time') out.axis = v === 'soc' ? 'soc' : 'time_s';
        else out.problems.push(`axis=${v}: allowed soc, time; ignored.`);
        break;
      case 'cmap':
        if (v === 'viridis' || v === 'turbo') out.colormap = v;
        else out.problems.push(`cmap=${v}: allowed viridis, turbo; ignored.`);
        break;
      case 'range': {
        const r = v.split(',').map(Number);
        if (r.length === 2 && r.every(Number.isFinite) && r[1] > r[0]) out.range = [r[0], r[1]];
        else out.problems.push(`range=${v}: expected min,max with min < max; ignored.`);
        break;
      }
      default:
        out.problems.push(
          FIELD_IDS.has(key)
            ? `${key}=${v} names no particle: write A.${key}, B.${key}, … or all.${key}; ignored.`
            : `${rawKey}: unknown query key; ignored.`,
        );
    }
  }
  if (Object.keys(common).length)
    URL_SLOTS.forEach((_, i) => {
      const s = out.slots[i];
      if (s?.variant === 'none') return;
      const t = slot(i);
      for (const [k, v] of Object.entries(common)) if (!(k in t.values)) t.values[k] = v;
    });
  return out;
}

/** What `queryFromApp` needs of the page. */
export interface UrlSource {
  panels: { variant: Variant; changedFields(): Record<string, string> }[];
  mode: FieldMode;
  axis: PlotAxis;
  liColormap: ColormapName;
  rangeMode: string;
  fixedRange: [number, number];
}

/** The query string (with '?', or '' when everything is at its default) that reproduces the page's settings. */
export function queryFromApp(app: UrlSource): string {
  const q = new URLSearchParams();
  app.panels.forEach((p, i) => {
    const s = URL_SLOTS[i];
    if (p.variant === 'loaded') return;
    q.set(s, p.variant);
    for (const [k, v] of Object.entries(p.changedFields())) q.set(`${s}.${k}`, v);
  });
  if (app.mode !== 'x') q.set('field', app.mode);
  if (app.axis !== 'soc') q.set('axis', 'time');
  if (app.liColormap !== 'viridis') q.set('cmap', app.liColormap);
  if (app.rangeMode === 'fixed') q.set('range', app.fixedRange.map((v) => Number(v.toPrecision(6))).join(','));
  const s = q.toString();
  return s ? `?${s}` : '';
}
