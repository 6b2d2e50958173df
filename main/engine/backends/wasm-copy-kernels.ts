/**
 * Kernels of the wasm backend that only move data, made cheaper:
 *  - Concat and SplitV (its gradient): tfjs's copy one row per `subarray` + `set` pair; joining two
 *    [1, 576, 592, 16] U-Net skips is 680 K pairs, 49 ms of a 350 ms base-8 prediction. Short rows
 *    copy faster element by element; long rows keep `set`.
 *  - Identity and same-type Cast: tfjs's copy the tensor; a training step runs ~220 of them (tfjs-layers
 *    casts every layer's input to float32). Tensors are immutable, so the output shares the input's memory, as on the cpu and
 *    WebGPU backends (the wasm backend counts references for Reshape already).
 */
import { backend_util, getKernel, registerKernel, unregisterKernel, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  incRef(dataId: object): void;
}

/** Below this many floats a row is copied in a loop rather than with subarray + set. */
const SHORT_ROW = 64;

/** `rows` rows of `n` floats from src (rows `srcStride` apart) to dst (rows `dstStride` apart). */
function copyRows(src: Float32Array, s: number, srcStride: number, dst: Float32Array, o: number, dstStride: number, rows: number, n: number): void {
  for (let r = 0; r < rows; r++, s += srcStride, o += dstStride) {
    if (n >= SHORT_ROW) dst.set(src.subarray(s, s + n), o);
    else for (let k = 0; k < n; k++) dst[o + k] = src[s + k];
  }
}

/** Rows before `axis` and the width of each part from `axis` on: the layout both kernels walk. */
function layout(shapes: number[][], axis: number): { rows: number; widths: number[]; stride: number } {
  const widths = shapes.map((s) => util.sizeFromShape(s.slice(axis)));
  return { rows: util.sizeFromShape(shapes[0].slice(0, axis)), widths, stride: widths.reduce((a, b) => a + b, 0) };
}

const originals: Record<string, KernelConfig> = {};
const fallback = (name: string, args: unknown) => originals[name].kernelFunc(args as never) as TensorInfo | TensorInfo[];

function concat(args: { inputs: TensorInfo[]; backend: WasmBackend; attrs: { axis: number } }): TensorInfo | TensorInfo[] {
  const { inputs, backend } = args;
  const live = inputs.filter((t) => util.sizeFromShape(t.shape) > 0);
  if (live.length < 2 || live.some((t) => t.dtype !== 'float32')) return fallback('Concat', args);
  const axis = util.parseAxisParam(args.attrs.axis, inputs[0].shape)[0];
  const shapes = inputs.map((t) => t.shape);
  backend_util.assertParamsConsistent(shapes, axis);
  const out = backend.makeOutput(backend_util.computeOutShape(shapes, axis), 'float32');
  const { rows, widths, stride } = layout(
    live.map((t) => t.shape),
    axis,
  );
  const dst = backend.typedArrayFromHeap(out);
  let column = 0;
  live.forEach((t, i) => {
    copyRows(backend.typedArrayFromHeap(t), 0, widths[i], dst, column, stride, rows, widths[i]);
    column += widths[i];
  });
  return out;
}

function splitV(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: { numOrSizeSplits: number | number[]; axis: number } }): TensorInfo | TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (x.dtype !== 'float32') return fallback('SplitV', args);
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
  const sizes = backend_util.prepareSplitSize(x as never, attrs.numOrSizeSplits, axis);
  const shapes = sizes.map((n) => x.shape.map((d, i) => (i === axis ? n : d)));
  const { rows, widths, stride } = layout(shapes, axis);
  const outs = shapes.map((s) => backend.makeOutput(s, 'float32'));
  // Views after every allocation: an allocation can grow (and move) the wasm heap.
  const src = backend.typedArrayFromHeap(x);
  let column = 0;
  outs.forEach((out, i) => {
    copyRows(src, column, stride, backend.typedArrayFromHeap(out), 0, widths[i], rows, widths[i]);
    column += widths[i];
  });
  return outs;
}

function identity(args: { inputs: { x: TensorInfo }; backend: WasmBackend }): TensorInfo | TensorInfo[] {
  const { x } = args.inputs;
  if (x.dtype === 'string') return fallback('Identity', args);
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function cast(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: { dtype: string } }): TensorInfo | TensorInfo[] {
  return args.attrs.dtype === args.inputs.x.dtype ? identity(args) : fallback('Cast', args);
}

export function registerWasmCopyKernels(): void {
  if (originals.Concat) return;
  for (const [name, kernelFunc] of [
    ['Concat', concat],
    ['SplitV', splitV],
    ['Identity', identity],
    ['Cast', cast],
  ] as const) {
    const original = getKernel(name, 'wasm');
    if (!original) throw new Error(`the wasm backend has no ${name} to replace`);
    originals[name] = original;
    unregisterKernel(name, 'wasm');
    registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc });
  }
}
