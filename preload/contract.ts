/**
 * The one contract between the renderer and main: every call (request → response) and every event,
 * with zod schemas. Main validates every request (and its own responses) against these schemas at the
 * boundary; the preload bridge (Electron) and the WebSocket client (browser shell) are typed from it.
 * Plain data only: bytes travel as Uint8Array (PNG files), everything else is JSON-able.
 */
import { z } from 'zod';
import { CALL_NAMES, EVENT_NAMES, MENU_COMMANDS, type CallNameList, type EventNameList } from './names';

/** Ids of images and model versions double as file and folder names: a safe subset, never "." or "..". */
export const ID_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/;
const Id = z.string().regex(ID_PATTERN, 'must be 1-128 letters, digits, ".", "_" or "-" (not "." or "..")');
export const ImageId = Id;
export const ModelId = Id;
const ModelIdLike = Id;
// z.custom rather than z.instanceof: the type is Uint8Array over any buffer (Node's Buffers and views included).
const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected bytes (Uint8Array)' });
/** A PNG file's bytes; the signature check catches "sent the wrong thing" early, decoding checks the rest. */
const PngBytes = Bytes.refine(
  (b) => b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  'expected the bytes of a PNG file',
);
const Empty = z.object({}).strict();
/** A deleted image's folder in trash/. */
const TrashId = Id;
const LabelRevision = z.number().int().nonnegative();

/**
 * new: not predicted yet; predicted: a prediction, no edits; edited: a person decided some pixels (the
 * rest of the label is the prediction it started from); reviewed: a person says the whole label is right.
 */
export const ImageStatus = z.enum(['new', 'predicted', 'edited', 'reviewed']);

/** The optic disc in image pixels (pixel (0, 0) covers [0, 1)²). */
export const Disc = z.object({ cx: z.number().finite(), cy: z.number().finite(), diameter: z.number().positive().finite() }).strict();
export type Disc = z.infer<typeof Disc>;
const AngleOfView = z.number().min(5).max(220);
/** What a person set for one image's measurements; null: the workspace's angle / the disc found in the photograph. */
export const ImageAnalysisSettings = z.object({ angleOfViewDeg: AngleOfView.nullable(), disc: Disc.nullable() }).strict();
export type ImageAnalysisSettings = z.infer<typeof ImageAnalysisSettings>;
/** Measurement settings of the workspace: the camera's angle of view for every image without its own, and the scale's anchor. */
export const AnalysisDefaults = z.object({ angleOfViewDeg: AngleOfView.nullable(), scaleFrom: z.enum(['camera', 'disc']) }).strict();
export type AnalysisDefaults = z.infer<typeof AnalysisDefaults>;
/** Largest field-of-view diameter a user may set, in pixels (the largest accepted photograph is 50 MP). */
export const MAX_FOV_DIAMETER = 20000;
const FovDiameter = z.number().finite().min(16).max(MAX_FOV_DIAMETER);
/** The scale a prediction was made at: the photograph's FOV diameter and the resampling to the model's working scale. */
export const ScaleInfo = z.object({
  fovDiameter: z.number().positive().finite(),
  /**
   * fov: measured from the field of view; user: set by hand; image-width: no FOV edge found, the width
   * assumed; calibre: estimated from the widest vessels (FOV missing or far off).
   */
  source: z.enum(['fov', 'user', 'image-width', 'calibre']),
  factor: z.number().positive().finite(),
  /** Why the measured FOV was not used, for the user. */
  note: z.string().nullable(),
});
export type ScaleInfo = z.infer<typeof ScaleInfo>;
export const ImageSummary = z.object({
  id: ImageId,
  /** File name it was imported from. */
  name: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  status: ImageStatus,
  hasLabel: z.boolean(),
  hasPrediction: z.boolean(),
  /** A field-of-view mask exists (imported with the image, or derived from the photograph). */
  hasFov: z.boolean(),
  /** The model version that made the stored prediction (null: none, or unknown). */
  predictionModel: ModelIdLike.nullable(),
  /**
   * A reference image: its label is trusted ground truth from the model's original training set (or the
   * user marked it so). Retraining mixes reference images in against forgetting instead of treating
   * them as corrections.
   */
  reference: z.boolean(),
  /** Left out of retraining (the image and its label stay). */
  excluded: z.boolean(),
  /** Share of the image's pixels a person decided (1 once Reviewed); null without a label. */
  decided: z.number().min(0).max(1).nullable(),
  /** Mean uncertaintyOf over the field of view of the last prediction (where a person is needed most); null when not predicted. */
  uncertainty: z.number().min(0).max(1).nullable(),
  /** The scale of the last prediction (null: not predicted, or predicted before scales were recorded). */
  scale: ScaleInfo.nullable(),
  /** FOV diameter set by the user for this image (pixels), or null to measure it. */
  fovDiameter: FovDiameter.nullable(),
});
export type ImageSummary = z.infer<typeof ImageSummary>;

/** How far from its model's threshold a probability may be and still count as uncertain. */
export const UNCERTAIN_BAND = 0.15;

/**
 * How much a pixel needs a person: 1 where the probability sits at the model's threshold, falling
 * linearly to 0 at UNCERTAIN_BAND away. An image's `uncertainty` is its mean over the field of view;
 * the editor's uncertainty map draws it per pixel.
 */
export function uncertaintyOf(probability: number, threshold: number): number {
  return Math.max(0, 1 - Math.abs(probability - threshold) / UNCERTAIN_BAND);
}

export const BackendInfo = z.object({ name: z.string(), device: z.string(), notes: z.array(z.string()) });
export type BackendInfo = z.infer<typeof BackendInfo>;
export const ModelSummary = z.object({
  id: ModelId,
  name: z.string(),
  createdAt: z.string(),
  /** The model it was fine-tuned from, if any. */
  parent: z.string().nullable(),
});
export type ModelSummary = z.infer<typeof ModelSummary>;
/** Scores on the held-out pixels at the model's own threshold (what `npm run evaluate` reports on them). */
const HeldOutScores = z.object({ auc: z.number(), f1: z.number(), threshold: z.number() });
/** What a fine-tuned version was measured on: the pixels people decided in the held-out part. */
const ValidationInfo = z.object({
  /** Images with held-out pixels. */
  images: z.array(z.string()),
  /** What was held out ("21_training", "the top-left quarter of each image"). */
  region: z.string(),
  /** The quarter held out of each image (0 top left … 3 bottom right), or null when whole images were. */
  quarter: z.number().int().min(0).max(3).nullable(),
  pixels: z.number().int().nonnegative(),
  /** Share of the held-out part's field of view a person decided (only those pixels are scored). */
  decidedShare: z.number(),
  before: HeldOutScores,
  after: HeldOutScores,
  /** Scored higher than its parent there: the one rule for selecting a new version by itself. */
  improved: z.boolean(),
});
export type ValidationInfo = z.infer<typeof ValidationInfo>;
/** A model version as the versions panel shows it (from its meta.json, files checked). */
export const ModelVersion = ModelSummary.extend({
  /** The model shipped with the app (resources/models/default), not a workspace version. */
  builtin: z.boolean(),
  /** Image names it was trained or fine-tuned on. */
  trainedOn: z.array(z.string()),
  /** Reference images mixed in during fine-tuning. */
  reference: z.array(z.string()),
  /** The probability threshold the model is used at (calibrated when it was made). */
  threshold: z.number(),
  /** How it compared with its parent on held-out pixels (null: not fine-tuned, or nothing could be held out). */
  validation: ValidationInfo.nullable(),
  backend: z.string().nullable(),
  seconds: z.number().nullable(),
  steps: z.number().nullable(),
  /**
   * The step whose weights were kept: early stopping keeps the best-scoring step on the held-out image,
   * which is 0 (the parent's weights) when training did not improve it.
   */
  keptStep: z.number().nullable(),
  stoppedEarly: z.boolean(),
  /** Every file is present and the weights have the size model.json declares. */
  intact: z.boolean(),
  problem: z.string().nullable(),
});
export type ModelVersion = z.infer<typeof ModelVersion>;
/**
 * A saved view: the open image, the zoom and the centre in image pixels. The bounds are far wider than
 * the editor goes (zoom at most 32, at least a quarter of the fitting zoom) but keep out absurd values.
 */
const Centre = z.number().finite().min(-1e7).max(1e7);
export const ViewState = z
  .object({ imageId: ImageId.nullable(), zoom: z.number().finite().min(1e-3).max(1e3), x: Centre, y: Centre })
  .strict();
export type ViewState = z.infer<typeof ViewState>;

export const ComputeStatus = z.object({
  /** starting: process launching or loading; ready: idle or working; failed: stopped restarting after repeated crashes. */
  state: z.enum(['starting', 'ready', 'failed']),
  alive: z.boolean(),
  backend: BackendInfo.nullable(),
  /** The model predictions use (the workspace's selected model). */
  model: ModelSummary.nullable(),
  restarts: z.number().int().nonnegative(),
  /** Why the process or the model is unavailable, for the status bar. */
  error: z.string().nullable(),
});
export type ComputeStatus = z.infer<typeof ComputeStatus>;

/** Something the user must be told: a damaged file recovered or set aside, a repair made. */
export const Notice = z.object({ kind: z.enum(['error', 'info']), message: z.string() });
export type Notice = z.infer<typeof Notice>;

export const WorkspaceSnapshot = z.object({
  path: z.string(),
  images: z.array(ImageSummary),
  models: z.array(ModelSummary),
  selectedModel: ModelId.nullable(),
  view: ViewState,
  /** What opening the workspace recovered or repaired (each page shows them once). */
  notices: z.array(Notice),
  analysis: AnalysisDefaults,
});
export type WorkspaceSnapshot = z.infer<typeof WorkspaceSnapshot>;

/** A retraining that has started: what it trains on. */
export const RetrainRun = z.object({
  job: z.string(),
  parent: ModelId,
  /** Corrected images (ids) it fine-tunes on. */
  images: z.array(ImageId),
  reference: z.array(ImageId),
  steps: z.number().int().positive(),
  startedAt: z.string(),
  /** Seconds it should take, from the last run's pace on this machine (null: no run yet to go by). */
  estimateSeconds: z.number().nullable(),
});
export type RetrainRun = z.infer<typeof RetrainRun>;

export const RetrainProgress = z.object({
  job: z.string(),
  phase: z.enum(['loading', 'preparing', 'training', 'saving']),
  step: z.number().int().nonnegative(),
  total: z.number().int().positive(),
  loss: z.number().nullable(),
  learningRate: z.number().nullable(),
  elapsedSeconds: z.number(),
  etaSeconds: z.number().nullable(),
  backend: BackendInfo.nullable(),
  message: z.string(),
});
export type RetrainProgress = z.infer<typeof RetrainProgress>;

export const RetrainOutcome = z.discriminatedUnion('state', [
  z.object({ state: z.literal('running') }),
  z.object({
    state: z.literal('done'),
    model: ModelVersion,
    /** Whether it was selected: only a version that scored better on the held-out pixels is. */
    selected: z.boolean(),
    /** Why (or why not), for the user. */
    message: z.string(),
  }),
  z.object({
    state: z.literal('failed'),
    /** cancelled: the user stopped it; crashed: the compute process died; error: anything else. */
    reason: z.enum(['cancelled', 'crashed', 'error']),
    message: z.string(),
  }),
]);

/** Everything the progress panel draws: the run, its last progress, the curves, and how it ended. */
export const RetrainState = z.object({
  run: RetrainRun,
  progress: RetrainProgress.nullable(),
  /** [step, loss] */
  loss: z.array(z.tuple([z.number(), z.number()])),
  /** [step, F1 on the held-out pixels at the model's own threshold] (step 0: the parent, before training) */
  validation: z.array(z.tuple([z.number(), z.number()])),
  outcome: RetrainOutcome,
});
export type RetrainState = z.infer<typeof RetrainState>;

const RegionMeasures = z.object({
  areaPx: z.number(),
  vesselPx: z.number(),
  density: z.number(),
  fractalDimension: z.number().nullable(),
  lengthPx: z.number(),
  lengthDensity: z.number(),
  segments: z.number().int(),
  branchPoints: z.number().int(),
  widthPx: z.number().nullable(),
  distanceTortuosity: z.number().nullable(),
  squaredCurvature: z.number().nullable(),
  tortuosityDensity: z.number().nullable(),
  coverage: z.number(),
});
/** One vessel segment as the analysis layer draws it and its tooltip tells (pixel units; the scale converts). */
export const SegmentView = z.object({
  id: z.number().int(),
  /** Centreline [x0, y0, x1, y1, …] in image pixels. */
  points: z.array(z.number()),
  lengthPx: z.number(),
  widthPx: z.number().nullable(),
  distanceTortuosity: z.number().nullable(),
  squaredCurvature: z.number().nullable(),
  tortuosityDensity: z.number().nullable(),
  measured: z.boolean(),
  zones: z.array(z.enum(['B', 'C'])),
});
export type SegmentView = z.infer<typeof SegmentView>;
/** An image's measurements (main/analysis), with the table row `analyze` would write for it. */
export const MeasurementReport = z.object({
  imageId: ImageId,
  /** label: a person's vessel map; prediction: the model's, at its threshold. */
  source: z.enum(['label', 'prediction']),
  modelId: ModelId.nullable(),
  threshold: z.number().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  fovDiameterPx: z.number().nullable(),
  disc: Disc.nullable(),
  discSource: z.enum(['given', 'found']).nullable(),
  scale: z.object({ umPerPx: z.number(), source: z.enum(['camera', 'disc']), detail: z.string() }).nullable(),
  /** The settings it was measured with: the image's own, and the workspace's. */
  imageSettings: ImageAnalysisSettings,
  defaults: AnalysisDefaults,
  regions: z.object({ fov: RegionMeasures, B: RegionMeasures.nullable(), C: RegionMeasures.nullable() }),
  segments: z.array(SegmentView),
  branchPoints: z.array(z.object({ x: z.number(), y: z.number(), degree: z.number().int() })),
  notes: z.array(z.string()),
  /** Column name → cell text, exactly as in `analyze`'s CSV (docs/MEASUREMENTS.md): what the panel shows. */
  csv: z.record(z.string(), z.string()),
});
export type MeasurementReport = z.infer<typeof MeasurementReport>;

const ImportFile = z
  .object({
    /** File name shown in messages. */
    name: z.string().min(1).max(255),
    /** Path relative to the chosen folder ("DRIVE/training/images/21_training.tif"), for folder imports. */
    path: z.string().min(1).max(1024).optional(),
    bytes: Bytes,
  })
  .strict();

type CallSpec = { request: z.ZodType; response: z.ZodType };

export const contract = {
  calls: {
    'workspace:get': { request: Empty, response: WorkspaceSnapshot },
    /** Images, or a folder's files (DRIVE layout: images/, 1st_manual/, mask/ bring labels and FOV masks). */
    'images:import': {
      request: z.object({ files: z.array(ImportFile).min(1).max(2000) }).strict(),
      response: z.object({
        imported: z.array(ImageSummary),
        /** Files not imported, each with a reason a person can act on (empty, corrupt, too large, ...). */
        rejected: z.array(z.object({ name: z.string(), reason: z.string() })),
      }),
    },
    /** Moves the image and its label/prediction/FOV into the workspace's trash/ folder; `trashed` restores it. */
    'images:delete': { request: z.object({ id: ImageId }).strict(), response: z.object({ trashed: TrashId }) },
    /** Brings a deleted image back from trash/ (undo of images:delete). */
    'images:restore': { request: z.object({ trashed: TrashId }).strict(), response: ImageSummary },
    /** Leaves an image out of retraining, or takes it back in. */
    'images:setExcluded': { request: z.object({ id: ImageId, excluded: z.boolean() }).strict(), response: ImageSummary },
    /** The photograph as 8-bit RGB PNG. */
    'images:photo': {
      request: z.object({ id: ImageId }).strict(),
      response: z.object({ png: Bytes, width: z.number().int(), height: z.number().int() }),
    },
    /**
     * The label: 8-bit grey PNGs, 255 vessel / 0 background, and 255 where a person decided the pixel;
     * null when the image has no edits (its label is its prediction). `revision` counts the label's
     * changes: a save names the revision it was based on.
     */
    'images:label': {
      request: z.object({ id: ImageId }).strict(),
      response: z.object({
        label: z.object({ png: Bytes, decided: Bytes, reviewed: z.boolean(), savedAt: z.string() }).nullable(),
        revision: LabelRevision,
      }),
    },
    /**
     * Saves a label with the pixels a person decided (PNGs of the image's size; first channel >= 128 is
     * vessel / decided) and whether the whole label is reviewed, made from revision `baseRevision`.
     * `png: null` means no edits: the label goes and the image is Predicted again. When the label has
     * changed since (another window saved it), the save is refused (saved: false) and nothing is
     * written: that window must reload the label.
     */
    'images:saveLabel': {
      request: z
        .object({ id: ImageId, png: PngBytes.nullable(), decided: PngBytes.nullable(), reviewed: z.boolean(), baseRevision: LabelRevision })
        .strict(),
      response: z.discriminatedUnion('saved', [
        z.object({ saved: z.literal(true), savedAt: z.string(), revision: LabelRevision, image: ImageSummary }),
        z.object({ saved: z.literal(false), message: z.string(), revision: LabelRevision }),
      ]),
    },
    /** The last prediction: 8-bit grey PNG, probability * 255. */
    'images:prediction': {
      request: z.object({ id: ImageId }).strict(),
      response: z.object({ png: Bytes, modelId: ModelId, createdAt: z.string() }).nullable(),
    },
    /** Field-of-view mask: 8-bit grey PNG, 255 inside the camera aperture. */
    'images:fov': {
      request: z.object({ id: ImageId }).strict(),
      response: z.object({ png: Bytes, source: z.enum(['imported', 'derived']) }).nullable(),
    },
    /** Predicts with the selected model in the compute process (progress arrives as compute:progress) and stores it. */
    'predict:run': {
      request: z.object({ id: ImageId }).strict(),
      response: z.object({ png: Bytes, ms: z.number(), backend: BackendInfo, modelId: ModelId, scale: ScaleInfo, uncertainty: z.number() }),
    },
    /**
     * Sets (or with null clears) an image's field-of-view diameter in pixels, for photographs whose FOV
     * edge cannot be found or is misleading; the next prediction uses it.
     */
    'images:setFovDiameter': { request: z.object({ id: ImageId, fovDiameter: FovDiameter.nullable() }).strict(), response: ImageSummary },
    /** Cancels a running job (its id comes with compute:progress); the job's call rejects with "cancelled". */
    'compute:cancel': { request: z.object({ job: z.string().min(1).max(64) }).strict(), response: z.object({ cancelled: z.boolean() }) },
    'compute:status': { request: Empty, response: ComputeStatus },
    /** Makes a version the one predictions use (switch or roll back; nothing is deleted). */
    'models:select': { request: z.object({ id: ModelId }).strict(), response: Empty },
    /** Every model version, oldest first, with how it was made; `selected` is the one predictions use. */
    'models:list': { request: Empty, response: z.object({ versions: z.array(ModelVersion), selected: ModelId.nullable() }) },
    /** Predicts one image with two versions (nothing is stored): two probability PNGs to compare, each version at its own threshold. */
    'models:compare': {
      request: z.object({ imageId: ImageId, a: ModelId, b: ModelId }).strict(),
      response: z.object({
        a: z.object({ modelId: ModelId, png: Bytes, threshold: z.number() }),
        b: z.object({ modelId: ModelId, png: Bytes, threshold: z.number() }),
      }),
    },
    /**
     * Starts fine-tuning the selected model on every labelled image (reference images mixed in) in the
     * compute process; answers once it has started. Progress comes as retrain:* events.
     */
    'retrain:start': {
      request: z.object({ steps: z.number().int().min(1).max(100_000).optional() }).strict(),
      response: RetrainRun,
    },
    /** What a retraining started now would run: its steps and how long it should take (null: no run here yet to go by). */
    'retrain:estimate': { request: Empty, response: z.object({ steps: z.number().int().positive(), seconds: z.number().nullable() }) },
    /** Stops the running retraining; the current version stays selected and unchanged. */
    'retrain:cancel': { request: Empty, response: z.object({ cancelled: z.boolean() }) },
    /** The running (or last) retraining with its curves so far, for a page opened mid-run; null when none. */
    'retrain:status': { request: Empty, response: RetrainState.nullable() },
    /** Marks an image as reference (mixed in against forgetting) or as a correction. */
    'images:setReference': { request: z.object({ id: ImageId, reference: z.boolean() }).strict(), response: ImageSummary },
    /** Remembers zoom/pan and the open image so reopening the workspace restores them. */
    'view:save': { request: ViewState, response: Empty },
    /** Copies every label into a folder (Electron: chosen in a dialog; browser shell: <workspace>/exports/<time>/). */
    'labels:export': { request: Empty, response: z.object({ dir: z.string(), count: z.number().int() }).nullable() },
    /**
     * Measures an image (in the compute process): its label, else its prediction at the model's threshold.
     * Fails with a sentence when there is neither yet.
     */
    'measure:run': { request: z.object({ id: ImageId }).strict(), response: MeasurementReport },
    /** Sets (or with null, clears) an image's own angle of view and/or optic disc; omitted fields stay. */
    'analysis:setImage': {
      request: z.object({ id: ImageId, angleOfViewDeg: AngleOfView.nullable().optional(), disc: Disc.nullable().optional() }).strict(),
      response: ImageAnalysisSettings,
    },
    'analysis:setDefaults': { request: AnalysisDefaults, response: AnalysisDefaults },
    /**
     * Writes, for the open image or all images with a vessel map: the measured vessel mask (PNG, full
     * resolution), an overlay PNG (photograph, vessels, centrelines, disc and zones), and the measurements
     * as CSV (one table) and JSON (one file per image). Electron: a chosen folder; browser shell:
     * <workspace>/exports/<time>/. Progress comes as compute:progress.
     */
    'measure:export': {
      request: z.object({ scope: z.enum(['image', 'all']), id: ImageId.optional() }).strict(),
      response: z
        .object({
          dir: z.string(),
          images: z.number().int(),
          files: z.array(z.string()),
          skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
        })
        .nullable(),
    },
  } satisfies Record<CallNameList, CallSpec>,
  events: {
    'compute:progress': z.object({
      job: z.string(),
      imageId: ImageId.nullable(),
      done: z.number(),
      total: z.number(),
      message: z.string(),
    }),
    /** The compute process died; jobs in flight were rejected. willRestart false means it crashed repeatedly and stays down. */
    'compute:crashed': z.object({ message: z.string(), willRestart: z.boolean() }),
    /** The compute process (re)started and initialised its backend. */
    'compute:ready': ComputeStatus,
    /** Images were added/removed/changed by someone else (another window, the menu); re-read workspace:get. */
    'workspace:changed': z.object({ reason: z.string() }),
    /** A label was saved (by any window): the others holding an older revision of it must reload it. */
    'images:labelSaved': z.object({ id: ImageId, revision: LabelRevision, savedAt: z.string(), image: ImageSummary }),
    /** Something found while working that the user must be told (a damaged file set aside, ...). */
    'workspace:notice': Notice,
    'menu:command': z.object({ command: z.enum(MENU_COMMANDS) }),
    'retrain:started': RetrainRun,
    'retrain:progress': RetrainProgress,
    'retrain:validation': z.object({ job: z.string(), step: z.number(), f1: z.number(), auc: z.number(), threshold: z.number() }),
    /** The new version is saved, and selected when it scored better; the renderer re-predicts the open image then. */
    'retrain:done': z.object({ job: z.string(), model: ModelVersion, selected: z.boolean(), message: z.string() }),
    /**
     * The run ended without a new version. `versionsIntact` says how many existing versions were checked
     * afterwards and found complete (after a crash the UI says so and offers Retry).
     */
    'retrain:failed': z.object({
      job: z.string(),
      reason: z.enum(['cancelled', 'crashed', 'error']),
      message: z.string(),
      versionsChecked: z.number().int(),
      versionsIntact: z.number().int(),
    }),
  } satisfies Record<EventNameList, z.ZodType>,
} as const;

export type Calls = typeof contract.calls;
export type CallName = keyof Calls;
export type EventName = keyof typeof contract.events;
export type Request<C extends CallName> = z.input<Calls[C]['request']>;
export type Response<C extends CallName> = z.output<Calls[C]['response']>;
/** A request after validation (what main's handlers receive). */
export type ValidRequest<C extends CallName> = z.output<Calls[C]['request']>;
export type EventPayload<E extends EventName> = z.output<(typeof contract.events)[E]>;

/** What the renderer sees as `window.vessel` (Electron preload) or the WebSocket client (browser shell). */
export interface VesselApi {
  call<C extends CallName>(name: C, request: Request<C>): Promise<Response<C>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

// The name lists the preload uses at runtime must match the schemas exactly (both directions).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const callNamesMatch: Same<CallName, (typeof CALL_NAMES)[number]> = true;
const eventNamesMatch: Same<EventName, (typeof EVENT_NAMES)[number]> = true;
void callNamesMatch;
void eventNamesMatch;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(contract.calls, name);
}
