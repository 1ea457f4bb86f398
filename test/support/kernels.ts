/**
 * The kernel implementations the verification suite runs against: always the TS oracle; plus the WebAssembly
 * kernel (release and debug builds) as soon as `src/engine/wasm-kernel.ts` exists. The module is imported
 * dynamically so the suite runs before it lands; once the file exists, a broken module or binary makes the suite
 * fail (it is never skipped silently). `CHEMOFRAC_KERNELS=ts,wasm-release` restricts the list.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kernel } from '../../src/engine/kernel-api.js';
import { createTsKernel } from '../../src/engine/ts-kernel/index.js';

export interface KernelFactory {
  name: 'ts' | 'wasm-release' | 'wasm-debug';
  create: () => Promise<Kernel>;
}

interface WasmKernelModule {
  createWasmKernel(opts?: { debug?: boolean }): Promise<Kernel>;
}

export const WASM_KERNEL_MODULE = fileURLToPath(new URL('../../src/engine/wasm-kernel.ts', import.meta.url));

export const tsFactory: KernelFactory = { name: 'ts', create: async () => createTsKernel() };

let cached: Promise<KernelFactory[]> | undefined;

export function availableKernels(): Promise<KernelFactory[]> {
  cached ??= (async () => {
    const list: KernelFactory[] = [tsFactory];
    if (existsSync(WASM_KERNEL_MODULE)) {
      const mod = (await import(/* @vite-ignore */ pathToFileURL(WASM_KERNEL_MODULE).href)) as WasmKernelModule;
      if (typeof mod.createWasmKernel !== 'function')
        throw new Error('src/engine/wasm-kernel.ts exists but does not export createWasmKernel');
      list.push(
        { name: 'wasm-release', create: () => mod.createWasmKernel() },
        { name: 'wasm-debug', create: () => mod.createWasmKernel({ debug: true }) },
      );
    }
    const only = process.env.CHEMOFRAC_KERNELS?.split(',').map((s) => s.trim());
    return only ? list.filter((f) => only.includes(f.name)) : list;
  })();
  return cached;
}
