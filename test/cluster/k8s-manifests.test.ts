/**
 * examples/cluster/k8s-*.yaml, the Kubernetes Indexed Job of a sharded sweep and the Job that merges it:
 *   - every YAML document parses and validates against the Kubernetes OpenAPI schema of its kind (batch/v1 Job,
 *     from the schemas the kubernetes-models package ships, offline); the schema check itself is shown to reject
 *     a broken Job, so it cannot pass vacuously;
 *   - the sweep Job is Indexed, completions = parallelism = N of its `--shard "${JOB_COMPLETION_INDEX}/N"`, and
 *     for every pod index k the container command, expanded by a real `sh` with JOB_COMPLETION_INDEX=k, is the
 *     sweep CLI's syntax with shard k/N (parsed by the CLI's own parseShard);
 *   - volumes: every mount names a declared volume; the merge Job mounts the sweep Job's results claim and merges
 *     its --out; the sweep file is an examples/ file (the ConfigMap is made from examples/);
 *   - pod 0's command and the merge Job's command, with /sweeps and /results mapped to a temporary directory and
 *     the example sweep replaced by its quick variant (test/support/examples.ts), run through the CLI's main():
 *     shard 0 of N runs its case, the merge writes the tables with the other shards' cases pending.
 * The Kubernetes OpenAPI schema allows unknown fields (the API server's strict field validation is what rejects
 * them), so a misspelt optional key is not caught here; the keys this test reads are checked by value.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseShard } from '../../src/sweep/spec.js';
import { quickVariant } from '../support/examples.js';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CLUSTER = join(REPO, 'examples/cluster');

type Json = Record<string, unknown>;
interface Container {
  name: string;
  command?: string[];
  args?: string[];
  resources?: { requests?: Json; limits?: Json };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface JobDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    template: {
      spec: {
        restartPolicy?: string;
        containers: Container[];
        volumes?: { name: string; persistentVolumeClaim?: { claimName: string }; configMap?: { name: string } }[];
      };
    };
  };
}

function documents(file: string): JobDoc[] {
  const docs = parseAllDocuments(readFileSync(join(CLUSTER, file), 'utf8'));
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) expect(d.errors.map((e) => e.message)).toEqual([]);
  return list.map((d) => d.toJS() as JobDoc);
}

/** Validate a manifest against the batch/v1 Job schema; the schema's messages, or [] when valid. */
function schemaErrors(doc: unknown): string[] {
  try {
    new Job(doc as ConstructorParameters<typeof Job>[0]).validate();
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

/** The container's command as the pod's shell runs it: argv after `sh -c` expansion with the given environment. */
function expandedArgv(c: Container, env: Record<string, string>): string[] {
  const cmd = [...(c.command ?? []), ...(c.args ?? [])];
  if (cmd[0] === 'sh' && cmd[1] === '-c') {
    // print each word the shell would pass to the program, one per line
    const r = spawnSync('sh', ['-c', `set -- ${cmd[2]}; printf '%s\\n' "$@"`], { env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.trimEnd().split('\n');
  }
  return cmd;
}

const manifests = ['k8s-indexed-job.yaml', 'k8s-merge-job.yaml'];

describe('examples/cluster Kubernetes manifests', () => {
  it('the schema check rejects a broken Job (it is not vacuous)', () => {
    const job = documents('k8s-indexed-job.yaml')[0];
    const broken = structuredClone(job) as unknown as { spec: Json & { template: { spec: { containers: Json[] } } } };
    broken.spec.completionMode = 'indexed'; // the enum is "Indexed" | "NonIndexed"
    expect(schemaErrors(broken).join(' ')).toMatch(/completionMode/);
    const noName = structuredClone(job) as unknown as typeof broken;
    delete noName.spec.template.spec.containers[0].name;
    expect(schemaErrors(noName).join(' ')).toMatch(/name/);
    const textCount = structuredClone(job) as unknown as typeof broken;
    textCount.spec.completions = '8';
    expect(schemaErrors(textCount).join(' ')).toMatch(/completions/);
  });

  for (const file of manifests)
    it(`${file}: every document is a valid batch/v1 Job`, () => {
      const docs = documents(file);
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) {
        expect(doc.apiVersion).toBe('batch/v1');
        expect(doc.kind).toBe('Job');
        expect(schemaErrors(doc)).toEqual([]);
        const pod = doc.spec.template.spec;
        expect(pod.restartPolicy).toBe('Never'); // a failed pod is retried by the Job, which --resume makes cheap
        const volumes = new Set((pod.volumes ?? []).map((v) => v.name));
        for (const c of pod.containers) for (const m of c.volumeMounts ?? []) expect(volumes).toContain(m.name);
      }
    });

  it('the sweep Job is Indexed and pod k runs shard k/N of an examples/ sweep; the merge Job merges its output', () => {
    const [job] = documents('k8s-indexed-job.yaml');
    const [merge] = documents('k8s-merge-job.yaml');
    expect(job.spec.completionMode).toBe('Indexed');
    const n = job.spec.completions!;
    expect(Number.isInteger(n) && n >= 1).toBe(true);
    expect(job.spec.parallelism).toBe(n);
    const [container] = job.spec.template.spec.containers;
    let out = '';
    let sweepFile = '';
    for (let k = 0; k < n; k++) {
      const argv = expandedArgv(container, { JOB_COMPLETION_INDEX: String(k), PATH: process.env.PATH ?? '' });
      expect(argv.slice(0, 2)).toEqual(['chemofrac', 'sweep']);
      const shardAt = argv.indexOf('--shard');
      expect(shardAt).toBeGreaterThan(0);
      expect(parseShard(argv[shardAt + 1])).toEqual({ index: k, count: n });
      expect(argv).toContain('--resume');
      // one worker thread per requested core
      const workers = argv[argv.indexOf('--workers') + 1];
      expect(workers).toBe(String(container.resources?.requests?.cpu));
      out = argv[argv.indexOf('--out') + 1];
      sweepFile = argv[2];
    }
    // /sweeps is the ConfigMap made from examples/, mounted read-only
    const sweepsMount = container.volumeMounts!.find((m) => sweepFile.startsWith(`${m.mountPath}/`))!;
    expect(sweepsMount).toBeDefined();
    expect(existsSync(join(REPO, 'examples', sweepFile.slice(sweepsMount.mountPath.length + 1)))).toBe(true);

    // the merge Job merges that --out, on the same claim mounted at the same path
    const mc = merge.spec.template.spec.containers[0];
    expect(expandedArgv(mc, { PATH: process.env.PATH ?? '' })).toEqual(['chemofrac', 'sweep', 'merge', out]);
    const claim = (doc: JobDoc, mountPath: string) => {
      const c = doc.spec.template.spec.containers[0];
      const m = c.volumeMounts!.find((v) => out.startsWith(`${v.mountPath}/`) && v.mountPath === mountPath)!;
      return doc.spec.template.spec.volumes!.find((v) => v.name === m.name)!.persistentVolumeClaim!.claimName;
    };
    const resultsPath = container.volumeMounts!.find((m) => out.startsWith(`${m.mountPath}/`))!.mountPath;
    expect(claim(merge, resultsPath)).toBe(claim(job, resultsPath));
  });

  it("pod 0's command and the merge Job's command run through the CLI (paths mapped, quick variant)", async () => {
    const [job] = documents('k8s-indexed-job.yaml');
    const [merge] = documents('k8s-merge-job.yaml');
    const n = job.spec.completions!;
    const root = mkdtempSync(join(tmpdir(), 'chemofrac-k8s-'));
    const map = (p: string) => (p.startsWith('/sweeps/') || p.startsWith('/results/') ? join(root, p) : p);
    const argv = expandedArgv(job.spec.template.spec.containers[0], {
      JOB_COMPLETION_INDEX: '0',
      PATH: process.env.PATH ?? '',
    }).map(map);
    const example = JSON.parse(
      readFileSync(join(REPO, 'examples', argv[2].slice(join(root, 'sweeps').length + 1)), 'utf8'),
    );
    mkdirSync(join(root, 'sweeps'), { recursive: true });
    writeFileSync(argv[2], JSON.stringify(quickVariant(example)));
    expect(await main(['node', ...argv, '--quiet'])).toBe(0);
    const out = argv[argv.indexOf('--out') + 1];
    expect(existsSync(join(out, `shard-0-of-${n}`, 'sweep.csv'))).toBe(true);

    const mergeArgv = expandedArgv(merge.spec.template.spec.containers[0], { PATH: process.env.PATH ?? '' }).map(map);
    expect(await main(['node', ...mergeArgv])).toBe(0);
    const rows = readFileSync(join(out, 'sweep.csv'), 'utf8').trimEnd().split('\n').slice(1);
    const status = rows.map((r) => (r.includes(',completed,') ? 'completed' : r.includes(',pending,') ? 'pending' : r));
    // round robin: shard 0 of N holds the cases 0, N, 2N, …; the others are pending until their pods have run
    expect(status).toEqual(rows.map((_, i) => (i % n === 0 ? 'completed' : 'pending')));
  });
});
