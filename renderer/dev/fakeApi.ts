/**
 * An in-memory VesselApi for trying the UI without a backend (`?demo`, optionally `&w=3504&h=2336`):
 * synthetic fundus-like photographs, a fake "prediction" with progress events, labels kept in memory.
 */
import type { CallName, EventName, EventPayload, ImageSummary, Request, Response, VesselApi } from '../../preload/contract';
import { encodeGreyPng } from '../io/png';

interface FakeImage {
  summary: ImageSummary;
  vessels: Uint8Array;
  label: Uint8Array<ArrayBuffer> | null;
  prediction: Uint8Array<ArrayBuffer> | null;
}

function rng(seed: number) {
  return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296);
}

function vesselTree(width: number, height: number, seed: number): Uint8Array {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  const ctx = c.getContext('2d')!;
  const r = rng(seed);
  const s = Math.min(width, height);
  ctx.strokeStyle = '#fff';
  ctx.lineCap = 'round';
  const branch = (x: number, y: number, a: number, len: number, w: number, depth: number) => {
    if (depth === 0 || w < 0.8) return;
    const x2 = x + Math.cos(a) * len;
    const y2 = y + Math.sin(a) * len;
    ctx.lineWidth = w;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.quadraticCurveTo((x + x2) / 2 + (r() - 0.5) * len * 0.4, (y + y2) / 2 + (r() - 0.5) * len * 0.4, x2, y2);
    ctx.stroke();
    branch(x2, y2, a + 0.2 + r() * 0.4, len * 0.75, w * 0.72, depth - 1);
    branch(x2, y2, a - 0.2 - r() * 0.4, len * 0.75, w * 0.72, depth - 1);
  };
  const ox = width * 0.62;
  const oy = height * 0.5;
  for (let k = 0; k < 6; k++) branch(ox, oy, (k / 6) * Math.PI * 2 + r() * 0.4, s * 0.12, s * 0.012, 7);
  const d = ctx.getImageData(0, 0, width, height).data;
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = d[i * 4];
  return out;
}

async function photoPng(width: number, height: number, vessels: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  const ctx = c.getContext('2d')!;
  const img = ctx.createImageData(width, height);
  const cx = width / 2;
  const cy = height / 2;
  const R = Math.min(width, height) * 0.48;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const d = Math.hypot(x - cx, y - cy) / R;
      const o = i * 4;
      if (d > 1) {
        img.data[o + 3] = 255;
        continue;
      }
      const shade = 1 - 0.45 * d * d;
      const v = vessels[i] / 255;
      img.data[o] = (200 - 60 * v) * shade;
      img.data[o + 1] = (95 - 50 * v) * shade;
      img.data[o + 2] = (40 - 20 * v) * shade;
      img.data[o + 3] = 255;
    }
  ctx.putImageData(img, 0, 0);
  const blob = await new Promise<Blob>((res) => c.toBlob((b) => res(b!), 'image/png'));
  return new Uint8Array(await blob.arrayBuffer());
}

export function createFakeApi(opts: { width: number; height: number }): VesselApi {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const emit = (name: EventName, payload: unknown) => listeners.get(name)?.forEach((l) => l(payload));
  const images = new Map<string, FakeImage>();
  const { width, height } = opts;
  const backend = { name: 'demo', device: 'in-browser fake', notes: [] };
  const model = { id: 'demo-model', name: 'Demo model', createdAt: new Date().toISOString(), parent: null };
  for (let k = 1; k <= 3; k++) {
    const id = `demo-${k}`;
    images.set(id, {
      summary: { id, name: `demo_${k}.png`, width, height, status: 'new', hasLabel: false, hasPrediction: false, hasFov: true, reference: false },
      vessels: vesselTree(width, height, k * 7919),
      label: null,
      prediction: null,
    });
  }
  let view = { imageId: null as string | null, zoom: 1, x: 0, y: 0 };
  const get = (id: string) => {
    const im = images.get(id);
    if (!im) throw new Error(`no image ${id}`);
    return im;
  };
  const handlers: { [C in CallName]?: (req: Request<C>) => Promise<Response<C>> } = {
    'workspace:get': async () => ({ path: '(demo)', images: [...images.values()].map((i) => i.summary), models: [model], selectedModel: model.id, view }),
    'compute:status': async () => ({ state: 'ready', alive: true, backend, model, restarts: 0, error: null }),
    'images:photo': async ({ id }) => {
      const im = get(id);
      return { png: await photoPng(width, height, im.vessels), width, height };
    },
    'images:label': async ({ id }) => {
      const im = get(id);
      return im.label ? { png: im.label, savedAt: new Date().toISOString() } : null;
    },
    'images:saveLabel': async ({ id, png }) => {
      const im = get(id);
      im.label = png as Uint8Array<ArrayBuffer>;
      im.summary = { ...im.summary, status: 'corrected', hasLabel: true };
      return { savedAt: new Date().toISOString() };
    },
    'images:prediction': async ({ id }) => {
      const im = get(id);
      return im.prediction ? { png: im.prediction, modelId: model.id, createdAt: new Date().toISOString() } : null;
    },
    'images:fov': async () => {
      const m = new Uint8Array(width * height);
      const R = Math.min(width, height) * 0.48;
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) m[y * width + x] = Math.hypot(x - width / 2, y - height / 2) <= R ? 255 : 0;
      return { png: await encodeGreyPng(m, width, height), source: 'derived' as const };
    },
    'predict:run': async ({ id }) => {
      const im = get(id);
      const total = 8;
      for (let k = 0; k <= total; k++) {
        emit('compute:progress', { job: `predict-${id}`, imageId: id, done: k, total, message: `tile ${k}/${total}` });
        await new Promise((r) => setTimeout(r, 120));
      }
      const p = new Uint8Array(width * height);
      const r = rng(1);
      for (let i = 0; i < p.length; i++) p[i] = Math.max(0, Math.min(255, im.vessels[i] * 0.85 + (r() < 0.002 ? 200 : 0) + r() * 30));
      im.prediction = await encodeGreyPng(p, width, height);
      if (im.summary.status === 'new') im.summary = { ...im.summary, status: 'predicted', hasPrediction: true };
      return { png: im.prediction, ms: 1000, backend, modelId: model.id };
    },
    'view:save': async (v) => {
      view = { imageId: v.imageId, zoom: v.zoom, x: v.x, y: v.y };
      return {};
    },
    'images:import': async ({ files }) => ({ imported: [], rejected: files.map((f) => ({ name: f.name, reason: 'the demo cannot import files' })) }),
  };
  return {
    call<C extends CallName>(name: C, request: Request<C>): Promise<Response<C>> {
      const h = handlers[name] as ((r: Request<C>) => Promise<Response<C>>) | undefined;
      if (!h) return Promise.reject(new Error(`${name} is not available in the demo`));
      return h(request);
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  };
}
