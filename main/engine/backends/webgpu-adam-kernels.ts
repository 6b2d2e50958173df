/**
 * Adam's update in three WebGPU dispatches per variable instead of ~14.
 *
 * tfjs's AdamOptimizer composes its update from elementwise ops: a U-Net step runs 648 optimizer
 * kernels for 46 variables, half of all its kernels. Each costs tens of microseconds of JavaScript
 * and encoding whatever its size, which a fast GPU step cannot hide. The optimizer (../optimizer.ts)
 * calls these kernels by name where the current backend has them.
 */
import { registerKernel, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { FlatProgram } from './webgpu-flat-program';

/** moment * decay + (1 - decay) * grad^power, for Adam's first (power 1) and second (power 2) moments. */
export const ADAM_MOMENT = 'VesselAdamMoment';
/** param - lr * (m / c1) / (sqrt(v / c2) + eps), with c1, c2 the bias corrections. */
export const ADAM_UPDATE = 'VesselAdamUpdate';

export interface AdamMomentAttrs {
  decay: number;
  power: 1 | 2;
}

export interface AdamUpdateAttrs {
  learningRate: number;
  c1: number;
  c2: number;
  epsilon: number;
}

class AdamMomentProgram extends FlatProgram {
  variableNames = ['moment', 'grad'];
  // 1 - decay comes from the host: in float32 on the GPU, 1 - 0.999 would be 1.3e-5 off, relatively.
  uniforms = 'decay : f32, rest : f32,';
  shaderKey: string;

  constructor(
    shape: number[],
    private power: 1 | 2,
  ) {
    super(shape);
    this.shaderKey = `vesselAdamMoment${power}`;
  }

  body(): string {
    const g = this.power === 2 ? 'grad[index] * grad[index]' : 'grad[index]';
    // Same order of operations as tfjs's AdamOptimizer.
    return `setOutputAtIndex(index, moment[index] * uniforms.decay + ${g} * uniforms.rest);`;
  }
}

class AdamUpdateProgram extends FlatProgram {
  variableNames = ['param', 'm', 'v'];
  uniforms = 'learningRate : f32, c1 : f32, c2 : f32, epsilon : f32,';
  shaderKey = 'vesselAdamUpdate';

  body(): string {
    return `setOutputAtIndex(index, (m[index] / uniforms.c1) / (sqrt(v[index] / uniforms.c2) + uniforms.epsilon) * -uniforms.learningRate + param[index]);`;
  }
}

type Args<I, A> = { inputs: I; backend: WebGPUBackend; attrs: A };

function adamMoment({ inputs, backend, attrs }: Args<{ moment: TensorInfo; grad: TensorInfo }, AdamMomentAttrs>): TensorInfo {
  const program = new AdamMomentProgram(inputs.moment.shape, attrs.power);
  return backend.runWebGPUProgram(program, [inputs.moment, inputs.grad], 'float32', [
    { type: 'float32', data: [attrs.decay] },
    { type: 'float32', data: [1 - attrs.decay] },
  ]);
}

function adamUpdate({ inputs, backend, attrs }: Args<{ param: TensorInfo; m: TensorInfo; v: TensorInfo }, AdamUpdateAttrs>): TensorInfo {
  const program = new AdamUpdateProgram(inputs.param.shape);
  return backend.runWebGPUProgram(program, [inputs.param, inputs.m, inputs.v], 'float32', [
    { type: 'float32', data: [attrs.learningRate] },
    { type: 'float32', data: [attrs.c1] },
    { type: 'float32', data: [attrs.c2] },
    { type: 'float32', data: [attrs.epsilon] },
  ]);
}

let registered = false;
export function registerWebgpuAdamKernels(): void {
  if (registered) return;
  registered = true;
  registerKernel({ kernelName: ADAM_MOMENT, backendName: 'webgpu', kernelFunc: adamMoment as unknown as KernelFunc });
  registerKernel({ kernelName: ADAM_UPDATE, backendName: 'webgpu', kernelFunc: adamUpdate as unknown as KernelFunc });
}
