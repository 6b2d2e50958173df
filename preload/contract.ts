/**
 * The one contract between the renderer and main: every call (request → response) and every event,
 * with zod schemas. Main validates every request against these schemas at the boundary; the preload
 * bridge (Electron) and the WebSocket client (browser shell) are both typed from this file.
 *
 * DRAFT by the engine owner — the app owner refines it (keep it one file, plain data only).
 */
import { z } from 'zod';

export const ImageId = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/);
export const ModelId = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/);
const Bytes = z.instanceof(Uint8Array);

export const ImageStatus = z.enum(['new', 'predicted', 'corrected']);
export const ImageSummary = z.object({
  id: ImageId,
  name: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  status: ImageStatus,
  hasFov: z.boolean(),
});
export type ImageSummary = z.infer<typeof ImageSummary>;

export const BackendInfo = z.object({ name: z.string(), device: z.string(), notes: z.array(z.string()) });
export const ModelSummary = z.object({ id: ModelId, name: z.string(), createdAt: z.string(), parent: z.string().nullable() });
export const ViewState = z.object({ imageId: ImageId.nullable(), zoom: z.number().positive(), x: z.number(), y: z.number() });

export const contract = {
  calls: {
    'workspace:get': { request: z.object({}), response: z.object({ path: z.string(), images: z.array(ImageSummary), models: z.array(ModelSummary), selectedModel: ModelId.nullable(), view: ViewState }) },
    'images:import': { request: z.object({ files: z.array(z.object({ name: z.string().min(1).max(255), bytes: Bytes })).min(1).max(500) }), response: z.object({ imported: z.array(ImageSummary), rejected: z.array(z.object({ name: z.string(), reason: z.string() })) }) },
    'images:photo': { request: z.object({ id: ImageId }), response: z.object({ png: Bytes, width: z.number().int(), height: z.number().int() }) },
    'images:label': { request: z.object({ id: ImageId }), response: z.object({ png: Bytes }).nullable() },
    'images:saveLabel': { request: z.object({ id: ImageId, png: Bytes }), response: z.object({ savedAt: z.string() }) },
    'images:prediction': { request: z.object({ id: ImageId }), response: z.object({ png: Bytes }).nullable() },
    'predict:run': { request: z.object({ id: ImageId }), response: z.object({ png: Bytes, ms: z.number(), backend: BackendInfo, modelId: ModelId }) },
    'view:save': { request: ViewState, response: z.object({}) },
    'compute:status': { request: z.object({}), response: z.object({ backend: BackendInfo.nullable(), alive: z.boolean() }) },
  },
  events: {
    'compute:progress': z.object({ job: z.string(), done: z.number(), total: z.number(), message: z.string() }),
    'compute:crashed': z.object({ message: z.string() }),
    'menu:command': z.object({ command: z.string() }),
  },
} as const;

export type Calls = typeof contract.calls;
export type CallName = keyof Calls;
export type EventName = keyof typeof contract.events;
export type Request<C extends CallName> = z.input<Calls[C]['request']>;
export type Response<C extends CallName> = z.output<Calls[C]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof contract.events)[E]>;

/** What the renderer sees as `window.vessel` (Electron preload) or the WebSocket client (browser shell). */
export interface VesselApi {
  call<C extends CallName>(name: C, request: Request<C>): Promise<Response<C>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}
