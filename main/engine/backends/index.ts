/**
 * Picks and initialises the compute backend. Order when automatic:
 *   tensorflow (tfjs-node-gpu on a real GPU) → webgpu (Dawn, when an adapter exists)
 *   → tensorflow (tfjs-node on CPU) → wasm (XNNPACK, with our training kernels) → cpu (pure JS).
 * The optional native packages are loaded when installed and never required.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone registers no gradients (the @tensorflow/tfjs bundle does).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { registerWasmCopyKernels } from './wasm-copy-kernels';
import { registerWasmTrainingKernels } from './wasm-training-kernels';
import { registerWebgpuAdamKernels } from './webgpu-adam-kernels';
import { registerWebgpuDropoutKernel } from './webgpu-dropout-kernel';
import { useWebgpuFilterGradient } from './webgpu-filter-gradient';

export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

export interface BackendInfo {
  name: BackendName;
  /** What it runs on, for people: "NVIDIA H100 (Vulkan)", "CPU · 1 thread · SIMD". */
  device: string;
  /** Why a faster backend was not used, if any. */
  notes: string[];
  /** WebGPU on a CPU rasteriser (lavapipe, SwiftShader): correct, but slower than wasm. */
  softwareAdapter?: boolean;
}

interface Candidate {
  name: BackendName;
  /** Registers the backend; returns its device description or throws why it is unavailable. */
  prepare(): Promise<string | { device: string; softwareAdapter: boolean }>;
}

let active: BackendInfo | null = null;

function requireOptional(name: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(name);
}

/** tfjs-node(-gpu): present only when its install could fetch libtensorflow. */
async function prepareTensorflow(wantGpu: boolean): Promise<string> {
  let loaded: string | null = null;
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      requireOptional(pkg);
      loaded = pkg;
      break;
    } catch {
      /* not installed: try the next one */
    }
  }
  if (!loaded) throw new Error('@tensorflow/tfjs-node(-gpu) is not installed');
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${loaded} failed to initialise`);
  // tfjs-node-gpu built for CUDA 11.2/cuDNN 8.1 silently runs on the CPU elsewhere (tfjs#8269).
  const binding = (tf.backend() as unknown as { binding?: { isUsingGpuDevice?: () => boolean } }).binding;
  const tfNodeGpu = loaded.endsWith('-gpu') && binding?.isUsingGpuDevice?.() === true;
  if (wantGpu && !tfNodeGpu) throw new Error(`${loaded} loaded but found no CUDA GPU (it needs CUDA 11.2 + cuDNN 8.1)`);
  return tfNodeGpu ? 'CUDA GPU (libtensorflow)' : 'CPU (libtensorflow)';
}

/**
 * `allowSoftware`: a CPU rasteriser (Mesa's llvmpipe via lavapipe, SwiftShader) is a real WebGPU
 * adapter, useful to test kernels, but far slower than wasm: automatic selection passes it over.
 */
async function prepareWebgpu(allowSoftware: boolean): Promise<{ device: string; softwareAdapter: boolean }> {
  const g = globalThis as unknown as { navigator?: { gpu?: unknown } };
  if (!g.navigator?.gpu) {
    const { create, globals } = (await import('webgpu')) as unknown as {
      create(flags: string[]): { requestAdapter(): Promise<unknown> };
      globals: object;
    };
    Object.assign(globalThis, globals);
    if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
    Object.defineProperty(g.navigator, 'gpu', { value: create([]), configurable: true });
  }
  const gpu = g.navigator!.gpu as { requestAdapter(o?: object): Promise<{ info?: object } | null> };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter (no GPU, or no Vulkan/Metal/D3D12 driver)');
  const info = (adapter.info ?? {}) as Record<string, unknown>;
  const name = String(info.description || info.device || info.vendor || 'GPU');
  const softwareAdapter = info.isFallbackAdapter === true;
  if (softwareAdapter && !allowSoftware) throw new Error(`only a software adapter (${name}), slower than the CPU backends`);
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('the WebGPU backend failed to initialise');
  // Our kernels for tfjs's slowest training steps there (see each module).
  useWebgpuFilterGradient('tiled');
  registerWebgpuAdamKernels();
  registerWebgpuDropoutKernel();
  return { device: [name, info.architecture].filter(Boolean).join(' · '), softwareAdapter };
}

async function prepareWasm(): Promise<string> {
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
  registerWasmTrainingKernels();
  registerWasmCopyKernels();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return `CPU · 1 thread${simd ? ' · SIMD' : ''}`;
}

async function prepareCpu(): Promise<string> {
  await tf.setBackend('cpu');
  return 'CPU · pure JavaScript';
}

/** Automatic order; a named backend uses its own entry (tensorflow: GPU or CPU, whichever it has). */
function candidates(wanted: BackendName | 'auto'): Candidate[] {
  if (wanted === 'auto') {
    return [
      { name: 'tensorflow', prepare: () => prepareTensorflow(true) },
      { name: 'webgpu', prepare: () => prepareWebgpu(false) },
      { name: 'tensorflow', prepare: () => prepareTensorflow(false) },
      { name: 'wasm', prepare: prepareWasm },
      { name: 'cpu', prepare: prepareCpu },
    ];
  }
  const prepare = { tensorflow: () => prepareTensorflow(false), webgpu: () => prepareWebgpu(true), wasm: prepareWasm, cpu: prepareCpu }[wanted];
  return [{ name: wanted, prepare }];
}

/**
 * Initialises `wanted` (or the best available when 'auto') and makes it tfjs's current backend.
 * Throws with the reason when a named backend is unavailable.
 */
export async function initBackend(wanted: BackendName | 'auto' = 'auto'): Promise<BackendInfo> {
  if (active && (wanted === 'auto' || wanted === active.name)) return active;
  const notes: string[] = [];
  for (const c of candidates(wanted)) {
    try {
      const prepared = await c.prepare();
      active = { name: c.name, notes, ...(typeof prepared === 'string' ? { device: prepared } : prepared) };
      return active;
    } catch (e) {
      const why = `${c.name}: ${(e as Error).message}`;
      if (wanted !== 'auto') throw new Error(`backend ${why}`);
      if (!notes.includes(why)) notes.push(why);
    }
  }
  throw new Error(`no backend could be initialised:\n${notes.join('\n')}`);
}

export function currentBackend(): BackendInfo {
  if (!active) throw new Error('initBackend() has not been called');
  return active;
}

export function parseBackend(s: string | undefined): BackendName | 'auto' {
  if (s === undefined || s === 'auto') return 'auto';
  if ((BACKEND_NAMES as readonly string[]).includes(s)) return s as BackendName;
  throw new Error(`unknown backend "${s}" (choose ${BACKEND_NAMES.join(', ')} or auto)`);
}
