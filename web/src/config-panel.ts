/**
 * The parameter panel of one particle slot: choose a particle (a reference variant, or a loaded config), edit
 * the key parameters, load/save the config as JSON. The panel builds a *user* config (the same JSON the CLI
 * reads); the engine validates it, and every ConfigError issue is shown next to the field its key belongs to
 * (issues no field owns go to the slot's message line). The fields are panel-fields.ts; the fields ↔ config
 * mapping (no DOM) is panel-config.ts.
 */
import {
  MATERIAL_PRESETS,
  REFERENCE_VARIANTS,
  referenceConfig,
  resolveConfig,
  ConfigError,
  type ReferenceVariant,
  type UserConfig,
} from '../../src/index.js';
import type { ConfigIssue } from '../../src/worker/engine-worker.js';
import { download, safeName } from './export.js';
import { applyFields, fieldValues, presetOf } from './panel-config.js';
import { FIELDS, VARIANT_LABELS, type Variant } from './panel-fields.js';

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
  private validateTimer = 0;
  onChange: (() => void) | null = null;

  constructor(
    readonly slot: 'A' | 'B',
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
    const variants: Variant[] = [...REFERENCE_VARIANTS, 'loaded', ...(slot === 'B' ? (['none'] as Variant[]) : [])];
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
    this.root.append(grid);
    this.general = el('div', { class: 'slot-error', id: `${slot}-error`, role: 'alert' });
    this.root.append(this.general);
    this.fill(this.baseConfig(), false);
  }

  get enabled(): boolean {
    return this.variant !== 'none';
  }

  get label(): string {
    if (this.variant === 'loaded') return String(this.loaded?.name ?? 'loaded config');
    return VARIANT_LABELS[this.variant];
  }

  setVariant(v: Variant): void {
    this.variant = v;
    this.variantSelect.value = v;
    this.root.classList.toggle('disabled', v === 'none');
    for (const i of this.inputs.values()) i.disabled = v === 'none';
    if (v !== 'none') this.fill(this.baseConfig(), true);
    this.changed();
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

  /** Validate on the page (instant feedback); the worker validates again when the run starts. */
  validate(): ConfigIssue[] {
    if (!this.enabled) {
      this.showIssues([]);
      return [];
    }
    try {
      resolveConfig(this.build());
      this.showIssues([]);
      return [];
    } catch (e) {
      const issues = e instanceof ConfigError ? e.issues : [{ key: '', message: String((e as Error).message ?? e) }];
      this.showIssues(issues);
      return issues;
    }
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
    this.root.classList.remove('disabled');
    for (const i of this.inputs.values()) i.disabled = false;
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
