/** Base for our WebGPU programs that compute one output element per thread, 64 threads a workgroup. */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

export abstract class FlatProgram implements WebGPUProgram {
  abstract variableNames: string[];
  abstract uniforms: string;
  abstract shaderKey: string;
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  outputShape: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];

  constructor(shape: number[]) {
    this.outputShape = shape;
    this.dispatchLayout = { x: shape.map((_, i) => i) };
    this.dispatch = [Math.ceil(shape.reduce((a, b) => a * b, 1) / 64), 1, 1];
  }

  /** WGSL statements for element `index` (already bounds-checked); they call setOutputAtIndex. */
  abstract body(): string;

  /** WGSL functions the body uses. */
  helpers(): string {
    return '';
  }

  getUserCode(): string {
    return `
      ${this.helpers()}
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${this.body()}
        }
      }
    `;
  }
}
