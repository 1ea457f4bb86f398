/**
 * The config reference (docs/config.md) generated from the zod schema: one row per key with its type, its default
 * and the schema's `.describe()` text. Defaults are read, never re-typed: from the schema where it has one, else
 * from what `resolveConfig({})` fills in (grain count, end of the run, material values of the default preset), and
 * material values name their entry of the tagged parameter file (`chemofrac materials`, src/materials/presets.ts).
 * Written by `npm run schema` (scripts/write-schema.ts); a unit test checks that docs/config.md is current.
 */
import { configJsonSchema } from './json-schema.js';
import { resolveConfig } from './resolve.js';
import { DEFAULT_MATERIAL, MATERIAL_PRESETS, PARAMETER_PROVENANCE } from '../materials/presets.js';

interface JsonNode {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonNode[];
  items?: JsonNode;
  properties?: Record<string, JsonNode>;
  required?: string[];
  default?: unknown;
  description?: string;
}

interface Row {
  key: string;
  type: string;
  default: string;
  description: string;
}

const code = (s: string) => '`' + s + '`';

function typeOf(n: JsonNode): string {
  if (n.enum) return n.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (n.const !== undefined) return JSON.stringify(n.const);
  if (n.anyOf) return n.anyOf.map(typeOf).join(' | ');
  if (n.type === 'array') return `${n.items ? typeOf(n.items) : 'unknown'}[]`;
  if (n.type === 'object') {
    const keys = Object.keys(n.properties ?? {});
    return keys.length > 0 && keys.length <= 3 ? `{ ${keys.join(', ')} }` : 'object';
  }
  return n.type ?? 'any';
}

function formatValue(v: unknown): string {
  if (typeof v === 'number') return String(Number(v.toPrecision(12)));
  return JSON.stringify(v);
}

/** The entry of the tagged parameter file behind a config key, if there is one. */
function provenanceKey(key: string): string | null {
  const candidates = [key];
  if (key.startsWith('material.')) {
    const rest = key.slice('material.'.length);
    // the default material's entries first (nmc811 shares D_ab and D_c/D_ab with the nmc90 entries)
    candidates.push(
      `${DEFAULT_MATERIAL}.${rest}`,
      `${DEFAULT_MATERIAL}.${rest}.hexagonal_GPa`,
      `nmc90.${rest}`,
      `nmc90-bare.${rest}`,
      `nmc90.${rest}.hexagonal_GPa`,
      rest,
    );
    if (rest === 'diffusivity_model') candidates.push('nmc811.diffusivity_oregan2022');
  }
  return candidates.find((k) => k in PARAMETER_PROVENANCE) ?? null;
}

function valueAt(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function defaultCell(key: string, n: JsonNode, resolved: unknown): string {
  const prov = provenanceKey(key);
  const tag = prov ? ` (${code(prov)}, ${PARAMETER_PROVENANCE[prov].tag})` : '';
  if (n.default !== undefined) {
    if (n.default !== null && typeof n.default === 'object' && !Array.isArray(n.default)) return 'see its keys';
    return code(formatValue(n.default)) + tag;
  }
  const v = valueAt(resolved, key.split('.'));
  if (key === 'material.preset') return 'required in the object form';
  if (key.startsWith('material.')) {
    if (v === undefined) return '— (not in the default preset)';
    if (prov && PARAMETER_PROVENANCE[prov].value === null) return `derived${tag}`;
    const shown = typeof v === 'object' ? 'from the preset' : `${code(formatValue(v))} from the preset`;
    return shown + tag;
  }
  if (v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v))) return 'absent';
  return `${code(formatValue(v))} ¹${tag}`;
}

function collect(n: JsonNode, prefix: string, resolved: unknown, rows: Row[], seen: Set<string>): void {
  const objects = n.properties ? [n] : (n.anyOf ?? []).filter((o) => o.properties);
  for (const obj of objects) {
    for (const [name, child] of Object.entries(obj.properties ?? {})) {
      const key = prefix ? `${prefix}.${name}` : name;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({
        key,
        type: typeOf(child),
        default: defaultCell(key, child, resolved),
        description: child.description ?? '',
      });
      // The coating's material takes the same overrides as material: documented once, there.
      if (key === 'coating.material') continue;
      collect(child, key, resolved, rows, seen);
    }
  }
}

/** Every key of the config, in schema order, with type, default and description. */
export function configReferenceRows(): Row[] {
  const rows: Row[] = [];
  collect(configJsonSchema() as JsonNode, '', resolveConfig({}), rows, new Set());
  return rows;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/config.md as Markdown (not yet run through prettier). */
export function configReferenceMarkdown(): string {
  const rows = configReferenceRows();
  const table = [
    '| key | type | default | meaning, unit, allowed values |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${code(r.key)} | ${cell(code(r.type))} | ${cell(r.default)} | ${cell(r.description)} |`),
  ].join('\n');
  return `<!-- Generated by \`npm run schema\` from src/scenario/config-schema.ts: edit the schema's .describe() texts, not this file. -->

# Config reference

A run is described by one JSON file. Every quantity has its unit in its key (\`radius_um\`, \`D_ab_m2_s\`,
\`strength_MPa\`); every key is optional; an unknown key is an error, so a typo or a wrong unit (\`radius_nm\`)
never passes silently. The error message names the key, the value and what is allowed.

\`\`\`json
{
  "name": "bare-seed7",
  "geometry": { "shape": "quarter", "radius_um": 5.0, "mesh_size_um": 0.1 },
  "microstructure": { "grains": 100, "seed": 7, "orientation": "random", "lloyd_iterations": 2 },
  "coating": { "thickness_um": 0.16, "material": "mf-coating" },
  "porosity": { "center": 0.13, "surface": 0.08 },
  "material": "nmc811",
  "loading": { "c_rates": [1, 0.5, 0.1], "to_soc": 1.0 },
  "solver": { "max_dt_s": 20, "crack_blocks_diffusion": false, "plane": "strain" },
  "output": { "snapshots_soc": [0.25, 0.55, 1.0], "vtu": true }
}
\`\`\`

The JSON Schema of the same config: \`chemofrac schema\`, or [schema/config.schema.json](../schema/config.schema.json)
(editors such as VS Code validate and complete a config with it). A run's \`summary.json\` holds the resolved
config, every default filled in. The physics behind the keys: [physics.md](physics.md).

## Keys

Defaults come from the schema; ¹ marks a default the resolver fills in (\`src/scenario/resolve.ts\`) because it
depends on other keys. Material values come from the preset: the name in brackets is the entry of the tagged
parameter file (\`chemofrac materials\`, \`src/materials/presets.ts\`) with its provenance tag: **S** stated in the
reference papers, **L** literature, **D** derived, **A** assumption to be replaced when a source is found.

${table}

## Materials

\`material\` (and \`coating.material\`) is a preset name (${Object.keys(MATERIAL_PRESETS)
    .map(code)
    .join(', ')}) or \`{ "preset": name, … }\` with any of the \`material.*\` keys above as overrides. The tagged
parameter file behind the presets (\`src/materials/presets.ts\`; \`chemofrac materials\` prints it):

${provenanceTable()}
`;
}

function provenanceValue(v: unknown): string {
  if (v === null) return 'derived';
  if (typeof v === 'object' && 'x' in (v as object)) return `table of ${(v as { x: unknown[] }).x.length} points`;
  if (typeof v === 'object' && 'c0' in (v as object)) return 'fit: log10 D = c0 + three Gaussians in x';
  return formatValue(v);
}

function provenanceTable(): string {
  return [
    '| entry | value | tag | note | source |',
    '| --- | --- | --- | --- | --- |',
    ...Object.entries(PARAMETER_PROVENANCE).map(
      ([k, t]) =>
        `| ${code(k)} | ${cell(code(provenanceValue(t.value)))} | ${t.tag} | ${cell(t.note)} | ${cell(t.source ?? '')} |`,
    ),
  ].join('\n');
}
