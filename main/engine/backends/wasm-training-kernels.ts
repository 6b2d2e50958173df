/**
 * Fast convolution gradients for the wasm backend.
 *
 * tfjs-backend-wasm has no Conv2DBackpropFilter (so it cannot train a CNN at all) and only a naive
 * Conv2DBackpropInput. Both gradients can be rewritten as the forward Conv2D or a MatMul, which the
 * wasm backend runs through XNNPACK:
 *  - filter gradient, stride s: conv2d(transpose(x) [Ci,H,W,N], transpose(dy) [Ho,Wo,N,Co], padded as
 *    the forward pass read, dilation s) -> [Ci,KH,KW,Co], i.e. dW with the batch as the contracted
 *    channel;
 *  - input gradient, stride 1: conv2d(dy, flip(W) with in/out swapped) with mirrored padding;
 *  - kernel == stride (the U-Net's 2x2/2 transposed convolutions): non-overlapping blocks, one MatMul.
 * Other shapes fall back to the backend's own implementation.
 */
import {
  backend_util,
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

type Backend = { disposeData(dataId: object): unknown };

interface Ctx {
  backend: Backend;
  temps: TensorInfo[];
}

function run(ctx: Ctx, name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm backend lacks kernel ${name}`);
  const out = kernel.kernelFunc({ inputs, attrs, backend: ctx.backend as never }) as TensorInfo;
  ctx.temps.push(out);
  return out;
}

/** Runs `body`, frees every intermediate it made except the returned one. */
function withTemps(backend: Backend, body: (ctx: Ctx) => TensorInfo): TensorInfo {
  const ctx: Ctx = { backend, temps: [] };
  let result: TensorInfo | null = null;
  try {
    result = body(ctx);
    return result;
  } finally {
    for (const t of ctx.temps) if (t !== result) backend.disposeData(t.dataId);
  }
}

const reshape = (c: Ctx, x: TensorInfo, shape: number[]) => run(c, 'Reshape', { x }, { shape });
const transpose = (c: Ctx, x: TensorInfo, perm: number[]) => run(c, 'Transpose', { x }, { perm });

function convInfo(
  xShape: number[],
  filterShape: number[],
  attrs: NamedAttrMap,
): backend_util.Conv2DInfo {
  const { strides, pad, dimRoundingMode, dataFormat } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    dataFormat: 'NHWC' | 'NCHW';
  };
  if (dataFormat === 'NCHW') throw new Error('wasm conv gradients support NHWC only');
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
}

function isBlockConv(info: backend_util.Conv2DInfo): boolean {
  const p = info.padInfo;
  return (
    info.filterHeight === info.strideHeight &&
    info.filterWidth === info.strideWidth &&
    p.top === 0 && p.left === 0 && p.bottom === 0 && p.right === 0 &&
    info.inHeight === info.outHeight * info.strideHeight &&
    info.inWidth === info.outWidth * info.strideWidth
  );
}

function backpropFilter(c: Ctx, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const [n] = x.shape;
  const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co } = info;
  if (isBlockConv(info)) {
    const { outHeight: ho, outWidth: wo } = info;
    const blocks = transpose(c, reshape(c, x, [n * ho, kh, wo, kw * ci]), [0, 2, 1, 3]);
    const patches = reshape(c, blocks, [n * ho * wo, kh * kw * ci]);
    const dy2 = reshape(c, dy, [n * ho * wo, co]);
    const dw = run(c, 'BatchMatMul', { a: patches, b: dy2 }, { transposeA: true, transposeB: false });
    return reshape(c, dw, [kh, kw, ci, co]);
  }
  const p = info.padInfo;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  // Only as much bottom/right padding as the forward pass actually read; the Conv2D pads (no PadV2 copy).
  const needH = (info.outHeight - 1) * sh + kh;
  const needW = (info.outWidth - 1) * sw + kw;
  const pad = [[0, 0], [p.top, Math.max(0, needH - info.inHeight - p.top)], [p.left, Math.max(0, needW - info.inWidth - p.left)], [0, 0]];
  const xT = transpose(c, x, [3, 1, 2, 0]);
  const dyT = transpose(c, dy, [1, 2, 0, 3]);
  let g = run(c, 'Conv2D', { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad,
    dataFormat: 'NHWC',
    dilations: [sh, sw],
  });
  if (g.shape[1] !== kh || g.shape[2] !== kw) {
    g = run(c, 'Slice', { x: g }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
  }
  return transpose(c, g, [1, 2, 0, 3]);
}

function backpropInput(
  c: Ctx,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  fallback: KernelFunc,
  attrs: NamedAttrMap,
): TensorInfo {
  const [n, hi, wi, ci] = [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
  const { filterHeight: kh, filterWidth: kw, outChannels: co, outHeight: ho, outWidth: wo } = info;
  if (isBlockConv(info)) {
    const wT = reshape(c, transpose(c, filter, [3, 0, 1, 2]), [co, kh * kw * ci]);
    const out = run(c, 'BatchMatMul', { a: reshape(c, dy, [n * ho * wo, co]), b: wT }, { transposeA: false, transposeB: false });
    const blocks = transpose(c, reshape(c, out, [n * ho, wo, kh, kw * ci]), [0, 2, 1, 3]);
    return reshape(c, blocks, [n, hi, wi, ci]);
  }
  if (info.strideHeight === 1 && info.strideWidth === 1) {
    const p = info.padInfo;
    const flipped = transpose(c, run(c, 'Reverse', { x: filter }, { dims: [0, 1] }), [0, 1, 3, 2]);
    const pads = [kh - 1 - p.top, hi + p.top - ho, kw - 1 - p.left, wi + p.left - wo];
    if (pads.every((v) => v >= 0)) {
      return run(c, 'Conv2D', { x: dy, filter: flipped }, {
        strides: [1, 1],
        pad: [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      });
    }
  }
  const out = fallback({ inputs: { dy, filter }, attrs, backend: c.backend as never }) as TensorInfo;
  c.temps.push(out);
  return out;
}

let installed = false;

/** Registers the fast gradients on the wasm backend (idempotent). */
export function registerWasmTrainingKernels(): void {
  if (installed) return;
  installed = true;
  const original = getKernel('Conv2DBackpropInput', 'wasm');
  if (!original) throw new Error('wasm backend is not registered');
  const fallback = original.kernelFunc;

  const filterKernel: KernelConfig = {
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs = {} }) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const info = convInfo(x.shape, attrs.filterShape as number[], attrs);
      return withTemps(backend as Backend, (c) => backpropFilter(c, x, dy, info));
    },
  };
  const inputKernel: KernelConfig = {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs = {} }) => {
      const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
      const info = convInfo(attrs.inputShape as number[], filter.shape, attrs);
      return withTemps(backend as Backend, (c) => backpropInput(c, dy, filter, info, fallback, attrs));
    },
  };
  if (getKernel('Conv2DBackpropFilter', 'wasm')) unregisterKernel('Conv2DBackpropFilter', 'wasm');
  unregisterKernel('Conv2DBackpropInput', 'wasm');
  registerKernel(filterKernel);
  registerKernel(inputKernel);
}
