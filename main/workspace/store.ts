/** workspace.json: what the folder's files do not say by themselves (names, dates, view, selected model). */
import { z } from 'zod';
import { AnalysisDefaults, ImageAnalysisSettings, ImageId, ModelId, ScaleInfo, ViewState } from '../../preload/contract';

export const WORKSPACE_VERSION = 1;

export const ImageRecord = z.object({
  id: ImageId,
  /** The file name it was imported from. */
  name: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  importedAt: z.string(),
  /** SHA-256 of the imported file, to recognise the same photograph imported twice. */
  sha256: z.string(),
  label: z
    .object({
      savedAt: z.string(),
      source: z.enum(['imported', 'edited']),
      /** A person said the whole label is right (absent in files from before: an imported label is, an edited one is not). */
      reviewed: z.boolean().optional(),
      /** Share of the image's pixels a person decided (absent in files from before, when every saved pixel counted). */
      decided: z.number().min(0).max(1).optional(),
    })
    .nullable(),
  /** Counts the label's changes (saves, imports, repairs); a save must name the revision it was made from. */
  labelRevision: z.number().int().nonnegative().default(0),
  prediction: z
    .object({
      modelId: ModelId,
      createdAt: z.string(),
      ms: z.number(),
      scale: ScaleInfo.nullable().default(null),
      /** Share of the FOV near the model's threshold (contract.ts: uncertainty). */
      uncertainty: z.number().nullable().default(null),
    })
    .nullable(),
  fov: z.enum(['imported', 'derived']).nullable(),
  /**
   * Reference image (mixed into retraining against forgetting, not a correction): true/false as the
   * user set it; null (also for files written before this field) lets the model's original training
   * set decide.
   */
  reference: z.boolean().nullable().default(null),
  /** Left out of retraining by the user. */
  excluded: z.boolean().default(false),
  /** The camera's angle of view and the optic disc as the user set them for this image (null: workspace / found). */
  analysis: ImageAnalysisSettings.default({ angleOfViewDeg: null, disc: null }),
  /** FOV diameter (pixels) the user set for this image; null: measured from the field of view. */
  fovDiameter: z.number().positive().finite().nullable().default(null),
});
export type ImageRecord = z.infer<typeof ImageRecord>;

export const WorkspaceFile = z.object({
  version: z.literal(WORKSPACE_VERSION),
  images: z.array(ImageRecord),
  selectedModel: ModelId.nullable(),
  view: ViewState,
  /** Measurement settings for every image without its own (files written before they existed get these). */
  analysis: AnalysisDefaults.default({ angleOfViewDeg: null, scaleFrom: 'camera' }),
});
export type WorkspaceFile = z.infer<typeof WorkspaceFile>;

export function emptyWorkspace(): WorkspaceFile {
  return {
    version: WORKSPACE_VERSION,
    images: [],
    selectedModel: null,
    view: { imageId: null, zoom: 1, x: 0, y: 0 },
    analysis: { angleOfViewDeg: null, scaleFrom: 'camera' },
  };
}
