/**
 * The kernel ABI is defined once (assembly/abi.ts) and read by the host from the instance's exported globals:
 * these tests check that the host refuses a kernel whose ABI differs instead of misreading memory.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readKernelAbi, KernelAbiError, HOST_ABI_VERSION } from '../../src/engine/wasm-abi.js';

const wasmPath = fileURLToPath(new URL('../../build/kernel.wasm', import.meta.url));

async function kernelExports(): Promise<WebAssembly.Exports> {
  const module = await WebAssembly.compile(readFileSync(wasmPath));
  const instance = await WebAssembly.instantiate(module, {
    env: { abort: () => undefined, trace: () => undefined, seed: () => 0 },
  });
  return instance.exports;
}

/** The exports with one global replaced (or removed when `value` is undefined). */
function withGlobal(exports: WebAssembly.Exports, name: string, value?: number): WebAssembly.Exports {
  const copy: Record<string, unknown> = { ...exports };
  if (value === undefined) delete copy[name];
  else copy[name] = new WebAssembly.Global({ value: 'i32', mutable: false }, value);
  return copy as WebAssembly.Exports;
}

describe('kernel ABI', () => {
  it('the built kernel speaks the host ABI: distinct slots within the strides, distinct array ids', async () => {
    const abi = readKernelAbi(await kernelExports());
    expect(abi.version).toBe(HOST_ABI_VERSION);
    const ids = Object.values(abi.arrays).map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    const materialSlots = Object.values(abi.material);
    expect(new Set(materialSlots).size).toBe(materialSlots.length);
    expect(Math.max(...materialSlots)).toBeLessThan(abi.materialStride);
    expect(Math.max(...Object.values(abi.interfaceMaterial))).toBeLessThan(abi.interfaceStride);
    expect(abi.errorText(5)).toMatch(/mechanics linear solve failed/);
    expect(abi.errorText(99)).toBe('error code 99');
  });

  it('refuses a kernel of another ABI version, naming both versions', async () => {
    const exports = withGlobal(await kernelExports(), 'ABI_VERSION', HOST_ABI_VERSION + 1);
    expect(() => readKernelAbi(exports)).toThrow(KernelAbiError);
    expect(() => readKernelAbi(exports)).toThrow(
      new RegExp(`ABI version ${HOST_ABI_VERSION + 1}, this host speaks ${HOST_ABI_VERSION}.*npm run build:wasm`),
    );
  });

  it('refuses a kernel without a named slot, or with two fields in one slot', async () => {
    const exports = await kernelExports();
    expect(() => readKernelAbi(withGlobal(exports, 'MATERIAL_D_XY'))).toThrow(/exports no constant MATERIAL_D_XY/);
    expect(() => readKernelAbi(withGlobal(exports, 'MATERIAL_D_XY', 2))).toThrow(
      /MATERIAL_D_(XY|YY) = 2 is not a distinct slot of the material record/,
    );
    // a three-slot field (xx, yy, xy) may not overlap the next field
    expect(() => readKernelAbi(withGlobal(exports, 'MATERIAL_EIGENSTRESS_A', 10))).toThrow(
      /MATERIAL_EIGENSTRESS_(A = 10|C = 12) is not a distinct slot/,
    );
    expect(() => readKernelAbi(withGlobal(exports, 'INTERFACE_STRENGTH', 8))).toThrow(/INTERFACE_STRENGTH = 8/);
    expect(() => readKernelAbi(withGlobal(exports, 'ARRAY_STRESS', 99))).toThrow(
      /ARRAY_STRESS = 99 is not an array id/,
    );
  });
});
