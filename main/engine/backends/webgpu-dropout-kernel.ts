/**
 * Dropout masks made on the GPU: a counter-based hash (PCG) of (seed, element index), so nothing
 * is drawn in JavaScript or uploaded. Used by ../dropout.ts where the backend has it.
 */
import { registerKernel, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { FlatProgram } from './webgpu-flat-program';

export const DROPOUT_MASK = 'VesselDropoutMask';

export interface DropoutMaskAttrs {
  shape: number[];
  rate: number;
  /** A 32-bit seed; a new one each call. */
  seed: number;
}

class DropoutMaskProgram extends FlatProgram {
  variableNames: string[] = [];
  uniforms = 'seed : u32, threshold : u32, scale : f32,';
  shaderKey = 'vesselDropoutMask';

  override helpers(): string {
    return `
      fn pcg(v : u32) -> u32 {
        let state = v * 747796405u + 2891336453u;
        let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
        return (word >> 22u) ^ word;
      }
    `;
  }

  body(): string {
    return `
      // Two rounds: with one, masks of two seeds would be index permutations of each other.
      let draw = pcg(pcg(u32(index) ^ pcg(uniforms.seed)) ^ uniforms.seed);
      setOutputAtIndex(index, select(0.0, uniforms.scale, draw >= uniforms.threshold));
    `;
  }
}

function dropoutMask({ backend, attrs }: { backend: WebGPUBackend; attrs: DropoutMaskAttrs }): TensorInfo {
  const threshold = Math.min(Math.round(attrs.rate * 2 ** 32), 2 ** 32 - 1);
  return backend.runWebGPUProgram(new DropoutMaskProgram(attrs.shape), [], 'float32', [
    { type: 'uint32', data: [attrs.seed >>> 0] },
    { type: 'uint32', data: [threshold] },
    { type: 'float32', data: [1 / (1 - attrs.rate)] },
  ]);
}

let registered = false;
export function registerWebgpuDropoutKernel(): void {
  if (registered) return;
  registered = true;
  registerKernel({ kernelName: DROPOUT_MASK, backendName: 'webgpu', kernelFunc: dropoutMask as unknown as KernelFunc });
}
