/**
 * A fast filter gradient (Conv2DBackpropFilter) for the WebGPU backend.
 *
 * tfjs-backend-webgpu computes dW with one thread per filter weight, each looping over the whole
 * batch and image: a 3x3 32->32 layer on 16x64x64 crops gives 9,216 threads with 65,536 serial
 * steps each. On an H200 that kernel was 142 of a training step's 158 ms of kernel time.
 *
 * dW is a matrix product, dW[(fy,fx,ci), co] = sum over p=(n,oy,ox) of x[n, oy*s+fy-pad, ox*s+fx-pad, ci]
 * * dy[n, oy, ox, co], with a long reduction (N*Ho*Wo) and small outputs. So: a tiled GEMM that
 * gathers x on the fly (no im2col buffer), split along the reduction so there are enough
 * workgroups to fill the GPU; each split writes a partial dW and a second pass sums them.
 */
import { backend_util, getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { FlatProgram } from './webgpu-flat-program';

/** Output tile per workgroup (rows = filter taps x input channels, cols = output channels). */
const TILE = 32;
/** Reduction steps staged in workgroup memory per iteration. */
const DEPTH = 16;
/** Enough workgroups to keep a large GPU busy; more only adds partial sums to add up. */
const TARGET_WORKGROUPS = 512;
/** Smallest reduction slice worth a workgroup. */
const MIN_SLICE = 256;

export interface FilterGradPlan {
  /** Rows of dW as a matrix: filterHeight * filterWidth * inChannels. */
  rows: number;
  /** Number of reduction slices (1 = no second pass). */
  splits: number;
  /** Reduction length per slice, a multiple of DEPTH. */
  slice: number;
}

/** How the reduction over batch x output pixels is split; exported for tests. */
export function planFilterGrad(convInfo: backend_util.Conv2DInfo): FilterGradPlan {
  const rows = convInfo.filterHeight * convInfo.filterWidth * convInfo.inChannels;
  const tiles = Math.ceil(rows / TILE) * Math.ceil(convInfo.outChannels / TILE);
  const reduction = convInfo.batchSize * convInfo.outHeight * convInfo.outWidth;
  const splits = Math.max(1, Math.min(Math.ceil(TARGET_WORKGROUPS / tiles), Math.ceil(reduction / MIN_SLICE)));
  const slice = Math.ceil(Math.ceil(reduction / splits) / DEPTH) * DEPTH;
  return { rows, splits: Math.ceil(reduction / slice), slice };
}

class FilterGradPartialsProgram implements WebGPUProgram {
  variableNames = ['x', 'dy'];
  uniforms = 'pads : vec2<i32>, strides : vec2<i32>, filterDims : vec2<i32>, slice : i32, steps : i32,';
  workgroupSize: [number, number, number] = [64, 1, 1];
  outputShape: number[];
  // Not how the work is laid out (workgroups are tiles x splits, read from workgroupId): tfjs only
  // needs a non-flat layout of the output's rank to generate the shader's header.
  dispatchLayout = { x: [3], y: [1, 2], z: [0] };
  dispatch: [number, number, number];
  shaderKey = 'vesselConv2DFilterGradPartials';

  constructor(convInfo: backend_util.Conv2DInfo, plan: FilterGradPlan) {
    // Partial sums stacked along the first axis: [splits * fh, fw, Ci, Co].
    this.outputShape = [plan.splits * convInfo.filterHeight, convInfo.filterWidth, convInfo.inChannels, convInfo.outChannels];
    this.dispatch = [Math.ceil(convInfo.outChannels / TILE), Math.ceil(plan.rows / TILE), plan.splits];
  }

  getUserCode(): string {
    // 64 threads as 8x8, each owning a 4x4 block of the 32x32 output tile.
    return `
      // Scalars: threads store single elements, and WGSL only promises per-vector (not per-component)
      // write granularity, so vec4 slots written by four threads would race.
      var<workgroup> tileA : array<f32, ${DEPTH * TILE}>;
      var<workgroup> tileB : array<f32, ${DEPTH * TILE}>;
      var<workgroup> rowsAt : array<vec4<i32>, ${DEPTH}>;

      fn main() {
        let lid = i32(localIndex);
        let tx = lid % 8;
        let ty = lid / 8;
        let col0 = i32(workgroupId.x) * ${TILE};
        let row0 = i32(workgroupId.y) * ${TILE};
        let H = uniforms.xShape.y;
        let W = uniforms.xShape.z;
        let Ci = uniforms.xShape.w;
        let Ho = uniforms.dyShape.y;
        let Wo = uniforms.dyShape.z;
        let Co = uniforms.dyShape.w;
        let M = uniforms.filterDims.x * uniforms.filterDims.y * Ci;
        let pixels = Ho * Wo;
        let pBegin = i32(workgroupId.z) * uniforms.slice;
        let pEnd = min(uniforms.dyShape.x * pixels, pBegin + uniforms.slice);
        // Each thread loads one row m (a filter tap and input channel) and one output channel c of
        // the staged tiles, at reduction offsets k = k0, k0 + 2, ...: decode m once, outside the loop.
        let j = lid % ${TILE};
        let k0 = lid / ${TILE};
        let m = row0 + j;
        let c = col0 + j;
        let ci = m % Ci;
        let tap = m / Ci;
        let fy = tap / uniforms.filterDims.y - uniforms.pads.x;
        let fx = tap % uniforms.filterDims.y - uniforms.pads.y;
        var acc : array<vec4<f32>, 4>;
        // The trip count comes from uniforms only, so the barriers stay in uniform control flow.
        for (var step = 0; step < uniforms.steps; step = step + 1) {
          let p0 = pBegin + step * ${DEPTH};
          // Decode this step's reduction indices p -> (n, oy, ox) once, for all threads: integer
          // division costs ~20 instructions on a GPU, more than the multiply-adds it feeds.
          if (lid < ${DEPTH}) {
            let p = p0 + lid;
            var r = vec4<i32>(0, 0, 0, 0);
            if (p < pEnd) {
              let n = p / pixels;
              let rest = p - n * pixels;
              let oy = rest / Wo;
              r = vec4<i32>(n, oy * uniforms.strides.x, (rest - oy * Wo) * uniforms.strides.y, 1);
            }
            rowsAt[lid] = r;
          }
          workgroupBarrier();
          for (var k = k0; k < ${DEPTH}; k = k + 2) {
            let r = rowsAt[k];
            var a = 0.0;
            var b = 0.0;
            if (r.w == 1) {
              let iy = r.y + fy;
              let ix = r.z + fx;
              if (m < M && iy >= 0 && iy < H && ix >= 0 && ix < W) {
                a = x[((r.x * H + iy) * W + ix) * Ci + ci];
              }
              if (c < Co) {
                b = dy[(p0 + k) * Co + c];
              }
            }
            tileA[k * ${TILE} + j] = a;
            tileB[k * ${TILE} + j] = b;
          }
          workgroupBarrier();
          for (var k = 0; k < ${DEPTH}; k = k + 1) {
            let ra = k * ${TILE} + ty * 4;
            let rb = k * ${TILE} + tx * 4;
            let av = vec4<f32>(tileA[ra], tileA[ra + 1], tileA[ra + 2], tileA[ra + 3]);
            let bv = vec4<f32>(tileB[rb], tileB[rb + 1], tileB[rb + 2], tileB[rb + 3]);
            acc[0] = fma(vec4<f32>(av.x), bv, acc[0]);
            acc[1] = fma(vec4<f32>(av.y), bv, acc[1]);
            acc[2] = fma(vec4<f32>(av.z), bv, acc[2]);
            acc[3] = fma(vec4<f32>(av.w), bv, acc[3]);
          }
          workgroupBarrier();
        }
        let base = i32(workgroupId.z) * M;
        for (var r = 0; r < 4; r = r + 1) {
          let row = row0 + ty * 4 + r;
          for (var q = 0; q < 4; q = q + 1) {
            let col = col0 + tx * 4 + q;
            if (row < M && col < Co) {
              result[(base + row) * Co + col] = acc[r][q];
            }
          }
        }
      }
    `;
  }
}

class SumSplitsProgram extends FlatProgram {
  variableNames = ['partials'];
  uniforms = 'splits : i32,';
  shaderKey = 'vesselSumSplits';

  body(): string {
    return `
      var s = 0.0;
      for (var k = 0; k < uniforms.splits; k = k + 1) {
        s = s + partials[index + k * uniforms.size];
      }
      setOutputAtIndex(index, s);
    `;
  }
}

interface FilterGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

let stock: KernelConfig | null = null;
let tiled: KernelConfig | null = null;

function makeTiledKernel(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WebGPUBackend; attrs: FilterGradAttrs }) => {
    const { inputs, backend, attrs } = args;
    if (attrs.dataFormat === 'NCHW') return original.kernelFunc(args as never);
    const { x, dy } = inputs;
    const convInfo = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    if (convInfo.batchSize * convInfo.outHeight * convInfo.outWidth === 0) return original.kernelFunc(args as never);
    const plan = planFilterGrad(convInfo);
    const partials = backend.runWebGPUProgram(new FilterGradPartialsProgram(convInfo, plan), [x, dy], 'float32', [
      { type: 'int32', data: [convInfo.padInfo.top, convInfo.padInfo.left] },
      { type: 'int32', data: [convInfo.strideHeight, convInfo.strideWidth] },
      { type: 'int32', data: [convInfo.filterHeight, convInfo.filterWidth] },
      { type: 'int32', data: [plan.slice] },
      { type: 'int32', data: [plan.slice / DEPTH] },
    ]);
    if (plan.splits === 1) return partials;
    const out = backend.runWebGPUProgram(new SumSplitsProgram(convInfo.filterShape), [partials], 'float32', [
      { type: 'int32', data: [plan.splits] },
    ]);
    backend.disposeData(partials.dataId);
    return out;
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName: 'webgpu', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** Which filter gradient the WebGPU backend runs: ours (default) or tfjs's, for side-by-side timing. */
export function useWebgpuFilterGradient(which: 'tiled' | 'stock'): void {
  if (!stock) {
    stock = getKernel('Conv2DBackpropFilter', 'webgpu') ?? null;
    if (!stock) throw new Error('the WebGPU backend has no Conv2DBackpropFilter to replace');
    tiled = makeTiledKernel(stock);
  }
  unregisterKernel('Conv2DBackpropFilter', 'webgpu');
  registerKernel(which === 'tiled' ? tiled! : stock);
}

/** The kernel now registered is ours (tests). */
export function tiledFilterGradientActive(): boolean {
  return tiled !== null && getKernel('Conv2DBackpropFilter', 'webgpu') === tiled;
}
