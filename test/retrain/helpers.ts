/** A service with a tiny default model and labelled synthetic images, and a way to wait for its events. */
import { join } from 'node:path';
import { createDispatcher } from '../../main/app/dispatch';
import type { CallName, EventName, EventPayload, Request, Response } from '../../preload/contract';
import { fundusPng, maskPng, tempDir } from '../helpers/files';
import { testService } from '../helpers/service';
import { saveTinyModel } from '../helpers/tiny-model';

export const W = 96;
export const H = 80;

export async function retrainSetup(t: { after(fn: () => void | Promise<void>): void }, labelled = 3) {
  const defaultDir = join(tempDir(t), 'default');
  await saveTinyModel(defaultDir, 'Bundled tiny');
  const { service, dir, events } = await testService(t, { defaultModelDir: defaultDir, backend: 'wasm' });
  const handle = createDispatcher(service.handlers);
  const call = async <C extends CallName>(name: C, request: Request<C>): Promise<Response<C>> => {
    const r = await handle(name, request);
    if (!r.ok) throw new Error(r.error);
    return r.value as Response<C>;
  };
  const files = [];
  for (let i = 1; i <= labelled; i++) files.push({ name: `eye${i}.png`, bytes: await fundusPng(W, H, i) });
  await call('images:import', { files });
  // "Corrections": a vessel band the untrained model does not predict, on reviewed (complete) labels.
  for (let i = 1; i <= labelled; i++)
    await call('images:saveLabel', {
      id: `eye${i}`,
      png: await maskPng(W, H, (x, y) => Math.abs(y - 20 - 8 * i) < 3 && x > 15 && x < 80),
      decided: null,
      reviewed: true,
      baseRevision: 0,
    });

  /** Resolves with the first event `name` (from index `from` on) that satisfies `test`. */
  const next = async <E extends EventName>(
    name: E,
    test: (p: EventPayload<E>) => boolean = () => true,
    timeoutMs = 120_000,
    from = 0,
  ): Promise<EventPayload<E>> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = events.slice(from).find((e) => e.name === name && test(e.payload as EventPayload<E>));
      if (hit) return hit.payload as EventPayload<E>;
      if (Date.now() > deadline)
        throw new Error(`no ${name} event within ${timeoutMs} ms; got ${[...new Set(events.map((e) => e.name))].join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { call, dir, ws: join(dir, 'ws'), defaultDir, events, service, next };
}
