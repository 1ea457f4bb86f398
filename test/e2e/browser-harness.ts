/**
 * Headless-Chromium harness shared by the browser e2e test and bench/browser.ts: make sure Debian's Chromium is
 * there (scripts/install-chromium.sh), build the app with Vite, serve web/dist on 127.0.0.1 with a tiny static
 * server, and launch Chromium through playwright-core with a fresh profile and the flags this closed network
 * needs (no background networking, no component updates, no QUIC).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Chromium's path, installing it with apt when missing; `{ reason }` when it cannot be had here. */
export function ensureChromium(timeout_ms = 170_000): { path: string } | { reason: string } {
  if (existsSync(CHROMIUM)) return { path: CHROMIUM };
  const r = spawnSync('bash', [join(REPO, 'scripts/install-chromium.sh')], { encoding: 'utf8', timeout: timeout_ms });
  if (existsSync(CHROMIUM)) return { path: CHROMIUM };
  const why = (r.stderr || r.stdout || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' ');
  return { reason: `Chromium is not installed and scripts/install-chromium.sh could not install it (${why})` };
}

/** Why the e2e file `what` must be skipped ('' when Chromium is there or was installed); says so on the console. */
export function chromiumSkipReason(what: string): string {
  const chromium = ensureChromium();
  const reason = 'reason' in chromium ? chromium.reason : '';
  if (reason) console.warn(`[e2e] skipping ${what}: ${reason}`);
  return reason;
}

/**
 * A new page of `context` on the app at `url`, once the app reports ready: `window.H()` returns its debug handle
 * (`window.__chemofrac`) in every document of the page, and `consoleErrors` collects console errors and uncaught
 * exceptions for the test to assert empty.
 */
export async function openAppPage(
  context: BrowserContext,
  url: string,
  viewport?: { width: number; height: number },
): Promise<{ page: Page; consoleErrors: string[] }> {
  const page = await context.newPage();
  await page.addInitScript(() => {
    (window as unknown as { H: () => unknown }).H = () => (window as unknown as { __chemofrac: unknown }).__chemofrac;
  });
  if (viewport) await page.setViewportSize(viewport);
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(
    () => (window as unknown as { __chemofrac?: { ready: boolean } }).__chemofrac?.ready === true,
    null,
    { timeout: 30_000 },
  );
  return { page, consoleErrors };
}

/** `vite build` of web/ into web/dist (the wasm must exist: build/kernel.wasm, built by npm run build:wasm). */
export async function buildApp(): Promise<string> {
  const wasm = join(REPO, 'build/kernel.wasm');
  if (!existsSync(wasm)) {
    const r = spawnSync('npm', ['run', '--silent', 'build:wasm'], { cwd: REPO, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run build:wasm failed');
  }
  const { build } = await import('vite');
  await build({ configFile: join(REPO, 'web/vite.config.ts'), logLevel: 'error' });
  return join(REPO, 'web/dist');
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** Serve a folder on 127.0.0.1 (random port). */
export async function serveStatic(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** Launch Chromium with a fresh profile; `close()` also removes the profile. */
export async function launchChromium(
  viewport = { width: 1400, height: 900 },
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'chemofrac-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    deviceScaleFactor: 1,
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
