/**
 * The parameter panel of one particle slot: choose a particle (a reference variant, or a loaded config), edit
 * the key parameters, load/save the config as JSON. The panel builds a *user* config (the same JSON the CLI
 * reads); the engine validates it, and every ConfigError issue is shown next to the field its key belongs to
 * (issues no field owns go to the slot's message line). The fields are panel-fields.ts; the fields ↔ config
 * mapping (no DOM) is panel-config.ts.
 */
import {
  MATERIAL_PRESETS,
  PARAMETER_PROVENANCE,
  REFERENCE_VARIANTS,
  referenceConfig,
  type ReferenceVariant,
  type UserConfig,
} from '../../src/index.js';
import type { ConfigIssue } from './worker-protocol.js';
import { download, safeName } from './export.js';
import { applyFields, checkConfig, fieldValues, presetOf } from './panel-config.js';
import { FIELDS, VARIANT_LABELS, type Variant } from './panel-fields.js';
import { CYCLING_EXAMPLE } from './cycle-view.js';

type Json = Record<string, unknown>;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export class ConfigPanel {
  readonly root: HTMLFieldSetElement;
  variant: Variant;
  private loaded: Json | null = null;
  private readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  private readonly errors = new Map<string, HTMLElement>();
  private readonly variantSelect: HTMLSelectElement;
  private readonly general: HTMLElement;
  private readonly fileInput: HTMLInputElement;
  private readonly note: HTMLElement;
  private readonly materialLine: HTMLElement;
  private readonly provenance: HTMLElement;
  private validateTimer = 0;
  onChange: (() => void) | null = null;

  constructor(
    readonly slot: string,
    variant: Variant,
    readonly color: string,
  ) {
    this.variant = variant;
    this.root = el('fieldset', { class: 'slot', id: `slot-${slot}` });
    const legend = el('legend');
    const sw = el('span', { class: 'swatch' });
    sw.style.background = color;
    legend.append(sw, document.createTextNode(` Particle ${slot}`));
    this.root.append(legend);

    const row = el('div', { class: 'row' });
    this.variantSelect = el('select', { id: `${slot}-variant`, 'aria-label': `particle ${slot}` });
    const variants: Variant[] = [
      ...REFERENCE_VARIANTS,
      'cycling',
      'loaded',
      ...(slot !== 'A' ? (['none'] as Variant[]) : []),
    ];
    for (const v of variants) this.variantSelect.append(el('option', { value: v }, VARIANT_LABELS[v]));
    this.variantSelect.value = variant;
    this.variantSelect.addEventListener('change', () => {
      const v = this.variantSelect.value as Variant;
      if (v === 'loaded' && !this.loaded) {
        this.fileInput.click();
        this.variantSelect.value = this.variant;
        return;
      }
      this.setVariant(v);
    });
    this.fileInput = el('input', { type: 'file', accept: '.json,application/json', hidden: '' });
    this.fileInput.addEventListener('change', () => void this.loadFile());
    const loadBtn = el('button', { type: 'button', id: `${slot}-load`, title: 'load a config JSON' }, 'Load…');
    loadBtn.addEventListener('click', () => this.fileInput.click());
    const saveBtn = el('button', { type: 'button', id: `${slot}-save`, title: 'save this config as JSON' }, 'Save');
    saveBtn.addEventListener('click', () => this.save());
    row.append(this.variantSelect, loadBtn, saveBtn, this.fileInput);
    this.root.append(row);
    this.note = el('div', { class: 'slot-note', id: `${slot}-note`, role: 'status' });
    this.materialLine = el('div', { class: 'material-line', id: `${slot}-material` });
    this.root.append(this.note, this.materialLine);

    const details = el('details', { class: 'params', open: '' });
    details.append(el('summary', {}, 'parameters'));
    const grid = el('div', { class: 'fields' });
    for (const f of FIELDS) {
      const id = `${slot}-${f.id}`;
      const label = el('label', { for: id, title: f.title ?? '' }, f.label);
      let input: HTMLInputElement | HTMLSelectElement;
      if (f.kind === 'select') {
        input = el('select', { id });
        for (const o of f.options ?? []) input.append(el('option', { value: o }, o));
      } else if (f.kind === 'checkbox') {
        input = el('input', { id, type: 'checkbox' });
      } else {
        input = el('input', {
          id,
          type: 'text',
          inputmode: f.kind === 'number' ? 'decimal' : 'text',
          autocomplete: 'off',
          spellcheck: 'false',
        });
      }
      input.title = f.title ?? '';
      input.addEventListener('input', () => this.changed());
      input.addEventListener('change', () => this.changed());
      const err = el('div', { class: 'field-error', id: `${id}-error`, role: 'alert' });
      const cell = el('div', { class: 'field' });
      cell.append(label, input, err);
      grid.append(cell);
      this.inputs.set(f.id, input);
      this.errors.set(f.id, err);
    }
    details.append(grid);
    this.root.append(details);
    this.general = el('div', { class: 'slot-error', id: `${slot}-error`, role: 'alert' });
    this.root.append(this.general);
    const prov = el('details', { class: 'provenance', id: `${slot}-provenance` });
    prov.append(el('summary', {}, 'preset values and their sources'));
    this.provenance = el('div');
    prov.append(this.provenance);
    prov.addEventListener('toggle', () => prov.open && this.renderProvenance());
    this.root.append(prov);
    if (variant === 'none') this.disableInputs(true);
    this.fill(this.baseConfig(), false);
  }

  private disableInputs(off: boolean): void {
    this.root.classList.toggle('disabled', off);
    for (const i of this.inputs.values()) i.disabled = off;
  }

  /** The material presets this slot's config uses (grain material, and the coating's when coated). */
  materialPresets(): string[] {
    if (!this.enabled) return [];
    const c = this.build() as Json;
    const out = [presetOf(c.material)];
    const coat = c.coating as Json | undefined;
    if (coat) out.push(presetOf(coat.material ?? 'mf-coating'));
    return out;
  }

  /**
   * The provenance table: every tagged parameter-file entry (PARAMETER_PROVENANCE) that the slot's presets
   * read, with its value, tag (S = study, L = literature, D = derived, A = assumption), note and source.
   */
  private renderProvenance(): void {
    const presets = this.materialPresets();
    const heads = new Set<string>(['gb']);
    for (const p of presets) {
      heads.add(p);
      heads.add(p.split('-')[0]);
      if (p.startsWith('mf-coating')) heads.add('coating');
    }
    const table = el('table', { class: 'prov-table' });
    const head = el('tr');
    for (const h of ['parameter', 'value', 'tag', 'note / source']) head.append(el('th', {}, h));
    table.append(head);
    for (const [key, t] of Object.entries(PARAMETER_PROVENANCE)) {
      if (!heads.has(key.split('.')[0])) continue;
      const tr = el('tr');
      tr.append(
        el('td', {}, key),
        el('td', {}, shortValue(t.value)),
        el('td', { class: `tag tag-${t.tag.replace('/', '')}` }, t.tag),
        el('td', {}, [t.note, t.source].filter(Boolean).join(' — ')),
      );
      table.append(tr);
    }
    this.provenance.replaceChildren(
      el('div', { class: 'prov-presets' }, `presets: ${presets.join(', ') || '—'} · user-edited fields override them`),
      table,
    );
  }

  get enabled(): boolean {
    return this.variant !== 'none';
  }

  get label(): string {
    if (this.variant === 'loaded') return String(this.loaded?.name ?? 'loaded config');
    return VARIANT_LABELS[this.variant];
  }

  /**
   * Switch the slot to a particle type. Every field is reset to that type's values (a loaded config's grains,
   * seed, shape or C-rates are not carried over), and the slot says so when any field changed.
   */
  setVariant(v: Variant): void {
    const before = this.variant !== 'none' ? this.fieldSnapshot() : null;
    const from = this.label;
    this.variant = v;
    this.variantSelect.value = v;
    this.disableInputs(v === 'none');
    if (v !== 'none') this.fill(this.baseConfig(), false);
    const after = v !== 'none' ? this.fieldSnapshot() : null;
    const changed = before && after ? Object.keys(after).filter((k) => before[k] !== after[k]) : [];
    this.note.textContent =
      changed.length && v !== 'none'
        ? `Fields reset to the ${this.label} preset (was ${from}): ${changed.join(', ')}.`
        : '';
    this.changed();
  }

  /** Field values by id (for the URL and the reset notice). */
  fieldSnapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [id, input] of this.inputs)
      out[id] = input instanceof HTMLInputElement && input.type === 'checkbox' ? String(input.checked) : input.value;
    return out;
  }

  /** The fields that differ from the particle type's own values (what the URL needs to hold). */
  changedFields(): Record<string, string> {
    if (this.variant === 'loaded' || this.variant === 'none') return {};
    const base = fieldValues(this.baseConfig());
    const now = this.fieldSnapshot();
    const out: Record<string, string> = {};
    for (const [id, v] of Object.entries(now)) if (String(base[id]) !== v) out[id] = v;
    return out;
  }

  /** Set fields from values (used by the URL query and the test hook). */
  setValues(values: Partial<Record<string, string | number | boolean>>): void {
    for (const [k, v] of Object.entries(values)) {
      const input = this.inputs.get(k);
      if (!input || v === undefined) continue;
      if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = Boolean(v);
      else input.value = String(v);
    }
    this.changed();
  }

  private baseConfig(): Json {
    if (this.variant === 'loaded' && this.loaded) return structuredClone(this.loaded);
    if (this.variant === 'cycling') return structuredClone(CYCLING_EXAMPLE) as Json;
    const v = (this.variant === 'loaded' || this.variant === 'none' ? 'bare' : this.variant) as ReferenceVariant;
    return referenceConfig(v) as Json;
  }

  /** Put a config's values into the fields (only the type-specific ones when `keepCommon`). */
  private fill(c: Json, keepCommon: boolean): void {
    const preset = MATERIAL_PRESETS[presetOf(c.material)];
    const values = fieldValues(c);
    for (const f of FIELDS) {
      if (keepCommon && f.common) continue;
      const input = this.inputs.get(f.id)!;
      const v = values[f.id];
      if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = Boolean(v);
      else input.value = String(v);
    }
    (this.inputs.get('coating') as HTMLInputElement).placeholder = 'none';
    (this.inputs.get('porCore') as HTMLInputElement).placeholder = 'dense';
    (this.inputs.get('gb') as HTMLInputElement).placeholder = preset ? `${preset.gb.strength_MPa} (preset)` : 'preset';
    (this.inputs.get('dratio') as HTMLInputElement).placeholder = preset
      ? `${preset.D_c_over_D_ab} (preset)`
      : 'preset';
    (this.inputs.get('grains') as HTMLInputElement).placeholder = 'from size';
    // a cycling protocol has C-rates and end SoCs per leg (loading.charge / loading.discharge): edit them in the
    // config file; the single-run fields would be refused by the schema
    const cycling = (c.loading as Json | undefined)?.protocol === 'cycling';
    for (const id of ['crates', 'toSoc']) {
      const input = this.inputs.get(id) as HTMLInputElement;
      input.disabled = cycling || this.variant === 'none';
      input.placeholder = cycling ? 'per leg (cycling)' : '';
    }
  }

  private value(id: string): string {
    return (this.inputs.get(id) as HTMLInputElement).value;
  }

  /** The user config this panel describes. */
  build(): UserConfig {
    const c = this.baseConfig();
    c.name = this.variant === 'loaded' ? (c.name ?? 'loaded') : this.variant;
    return applyFields(c, (id) => (id === 'crack' ? String(this.checked('crack')) : this.value(id)));
  }

  private checked(id: string): boolean {
    return (this.inputs.get(id) as HTMLInputElement).checked;
  }

  /** Show config issues next to their fields; returns how many were shown. */
  showIssues(issues: ConfigIssue[], general = ''): number {
    for (const e of this.errors.values()) e.textContent = '';
    for (const i of this.inputs.values()) i.classList.remove('invalid');
    const rest: string[] = [];
    for (const issue of issues) {
      const id = this.fieldFor(issue.key);
      if (id) {
        const e = this.errors.get(id)!;
        e.textContent = (e.textContent ? e.textContent + ' ' : '') + `${issue.key}: ${issue.message}`;
        this.inputs.get(id)!.classList.add('invalid');
      } else rest.push(issue.key ? `${issue.key}: ${issue.message}` : issue.message);
    }
    if (general) rest.push(general);
    this.general.textContent = rest.join('\n');
    return issues.length;
  }

  private fieldFor(key: string): string | null {
    let best: string | null = null;
    let bestLen = -1;
    for (const f of FIELDS)
      for (const k of f.keys)
        if ((key === k || key.startsWith(k + '.')) && k.length > bestLen) {
          best = f.id;
          bestLen = k.length;
        }
    return best;
  }

  /**
   * Validate on the page with the limits a run applies (config schema and mesher limits, `checkConfig`), so a
   * bad value is refused before any worker starts; the worker checks again when it builds the run.
   */
  validate(): ConfigIssue[] {
    if (!this.enabled) {
      this.showIssues([]);
      this.materialLine.textContent = '';
      return [];
    }
    const { issues, resolved } = checkConfig(this.build());
    this.showIssues(issues);
    this.materialLine.textContent = resolved
      ? `material ${resolved.material.name}` +
        (resolved.coating ? ` · coating ${resolved.coating.thickness_um} µm of ${resolved.coating.material.name}` : '')
      : '';
    if ((this.root.querySelector('details.provenance') as HTMLDetailsElement | null)?.open) this.renderProvenance();
    return issues;
  }

  private changed(): void {
    clearTimeout(this.validateTimer);
    this.validateTimer = window.setTimeout(() => this.validate(), 200);
    this.onChange?.();
  }

  private async loadFile(): Promise<void> {
    const file = this.fileInput.files?.[0];
    this.fileInput.value = '';
    if (!file) return;
    try {
      const json = JSON.parse(await file.text()) as unknown;
      if (!json || typeof json !== 'object' || Array.isArray(json))
        throw new Error('the file does not hold a JSON object');
      this.loadConfig(json as Json, file.name.replace(/\.json$/i, ''));
    } catch (e) {
      this.showIssues([], `Cannot read ${file.name}: ${(e as Error).message}`);
    }
  }

  /** Use a config object as this slot's particle. */
  loadConfig(json: Json, fallbackName = 'loaded'): void {
    this.loaded = { ...json, name: json.name ?? fallbackName };
    this.variant = 'loaded';
    this.variantSelect.value = 'loaded';
    this.disableInputs(false);
    this.note.textContent = '';
    this.fill(this.loaded, false);
    this.changed();
  }

  save(): void {
    download(
      `${safeName(String(this.build().name ?? this.slot))}.config.json`,
      JSON.stringify(this.build(), null, 2) + '\n',
      'application/json',
    );
  }
}

/** A parameter-file value in a few characters: numbers as is, tables by their size, objects as short JSON. */
function shortValue(v: unknown): string {
  if (v === null) return 'derived';
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'x' in v && Array.isArray((v as { x: unknown[] }).x))
    return `table, ${(v as { x: unknown[] }).x.length} points`;
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '…' : s;
}
