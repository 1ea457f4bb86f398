/**
 * The import graph of `src/` and `web/`: no cycles, and every import goes down the layers written in
 * docs/architecture.md (a module imports only from layers to its left, or from its own layer).
 *
 * The graph is read from the source text (static `import`/`export … from` and dynamic `import('…')` with relative
 * paths; type-only imports count too: a type-only back-edge is still a back-edge for a reader).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), '../..'));

/** The layers, leftmost first. A file's layer is the first rule whose pattern matches its repo-relative path. */
const LAYERS: { name: string; rank: number; match: RegExp }[] = [
  { name: 'base', rank: 0, match: /^src\/((errors|version)\.ts$|math\/)/ },
  { name: 'inputs', rank: 1, match: /^src\/(materials|mesh)\// },
  { name: 'config', rank: 2, match: /^src\/scenario\/(?!build\.ts$)/ },
  // The kernel contract (types and conventions only): the scenario builds a `KernelSetup`, the kernels consume it.
  { name: 'kernel-contract', rank: 3, match: /^src\/engine\/kernel-api\.ts$/ },
  { name: 'scenario', rank: 4, match: /^src\/scenario\/build\.ts$/ },
  {
    name: 'kernel',
    rank: 5,
    match:
      /^src\/engine\/(ts-kernel\/|wasm-kernel\.ts$|wasm-abi\.ts$|oriented-materials\.ts$|setup-validation\.ts$|kernel-state\.ts$)/,
  },
  { name: 'engine', rank: 6, match: /^src\/engine\// },
  { name: 'io', rank: 7, match: /^src\/io\// },
  // The two library entries (package.json "exports": "." and "./sweep"); the sweep library is used by the CLI.
  { name: 'index', rank: 8, match: /^src\/index\.ts$/ },
  { name: 'sweep', rank: 8, match: /^src\/sweep\// },
  // Synthesis (calcination): its own model on the mesh, writing its own run directory (docs/synthesis.md).
  { name: 'synthesis', rank: 7.5, match: /^src\/synthesis\// },
  // Programs: the CLI, the worker entry (package.json "./worker"), the browser app.
  { name: 'cli', rank: 9, match: /^src\/cli\// },
  { name: 'worker', rank: 9, match: /^src\/worker\// },
  { name: 'web', rank: 10, match: /^web\// },
];

/** What `web/` may import outside itself: the public entries (package.json "." and "./worker") and the kernel binary. */
const WEB_MAY_IMPORT = [/^src\/index\.ts$/, /^src\/worker\/engine-worker\.ts$/, /^build\/kernel\.wasm\?url$/];

/**
 * Cycles known and left for their owner, each with the reason. Any other cycle fails the test; a listed one that
 * is gone fails it too (so the list cannot go stale).
 */
const KNOWN_CYCLES: string[][] = [];

function layerOf(file: string) {
  const layer = LAYERS.find((l) => l.match.test(file));
  if (!layer) throw new Error(`${file} is in no layer: add it to LAYERS and to docs/architecture.md`);
  return layer;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'dist') out.push(...sourceFiles(p));
    } else if (/\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative imports of a file, as repo-relative `.ts` paths. */
export function importsOf(file: string, text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of code.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith('.')) continue;
    out.push(relative(ROOT, join(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts'));
  }
  return out;
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of [...sourceFiles('src'), ...sourceFiles('web/src')]) {
    graph.set(f, importsOf(f, readFileSync(join(ROOT, f), 'utf8')));
  }
  return graph;
}

/** The strongly connected components with more than one file (or a file importing itself): the import cycles. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles.sort((a, b) => a[0].localeCompare(b[0]));
}

/** Imports that go to a layer to the right of the importer's, and web imports past the public entries. */
export function forbiddenEdges(graph: Map<string, string[]>): string[] {
  const bad: string[] = [];
  for (const [from, targets] of graph) {
    const a = layerOf(from);
    for (const to of targets) {
      if (to.startsWith('web/') && from.startsWith('web/')) continue;
      if (a.name === 'web') {
        if (!WEB_MAY_IMPORT.some((re) => re.test(to)))
          bad.push(`${from} → ${to} (web/ imports only the public entries)`);
        continue;
      }
      const b = layerOf(to);
      if (b.name !== a.name && b.rank >= a.rank) bad.push(`${from} (${a.name}) → ${to} (${b.name})`);
    }
  }
  return bad;
}

describe('import graph of src/ and web/', () => {
  const graph = importGraph();

  it('reads the imports it should (the parser sees static, type-only, re-export and dynamic imports)', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c/index.js';",
      "const m = await import('./d.js');",
      "import x from 'node:fs';",
      "// import { e } from './e.js';",
    ].join('\n');
    expect(importsOf('src/x/y.ts', text)).toEqual(['src/x/a.ts', 'src/b.ts', 'src/x/c/index.ts', 'src/x/d.ts']);
    expect(graph.get('src/index.ts')).toContain('src/engine/simulation.ts');
  });

  it('finds a cycle and a back-edge when there is one (the checks can fail)', () => {
    const g = new Map([
      ['src/io/a.ts', ['src/cli/b.ts']],
      ['src/cli/b.ts', ['src/io/a.ts']],
    ]);
    expect(importCycles(g)).toEqual([['src/cli/b.ts', 'src/io/a.ts']]);
    expect(forbiddenEdges(g)).toEqual(['src/io/a.ts (io) → src/cli/b.ts (cli)']);
  });

  it('has no import cycles (but the known ones listed above)', () => {
    expect(importCycles(graph)).toEqual(KNOWN_CYCLES);
  });

  it('has no back-edges: config → scenario → kernel → engine → io → cli / sweep / web', () => {
    expect(forbiddenEdges(graph)).toEqual([]);
  });
});
