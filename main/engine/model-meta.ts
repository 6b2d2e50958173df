/**
 * meta.json of a model folder, the one schema for it: how the model was made and the checksum of its
 * weights. No tfjs here: the main process lists versions with it (workspace/models.ts) without
 * loading the engine; model-io writes and loads it.
 */
import { z } from 'zod';
import { PREPROCESSINGS } from './preprocess';

export const META_FORMAT = 'vessel-studio-model';

export const MetricsSummary = z.object({
  auc: z.number(),
  f1: z.number(),
  accuracy: z.number(),
  sensitivity: z.number(),
  specificity: z.number(),
});
export type MetricsSummary = z.infer<typeof MetricsSummary>;

export const WeightsChecksum = z.object({
  /** SHA-256 of the weight files named in model.json, in their order (for our models: weights.bin). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
});
export type WeightsChecksum = z.infer<typeof WeightsChecksum>;

export const ModelMeta = z.object({
  format: z.literal(META_FORMAT),
  version: z.literal(1),
  name: z.string(),
  createdAt: z.string(),
  /** Id (folder name) of the model this one was trained from, or null. */
  parent: z.string().nullable(),
  architecture: z.object({
    base: z.number().int().positive(),
    depth: z.number().int().positive(),
    dropout: z.number(),
    parameters: z.number().int(),
  }),
  /** How photographs become network input (engine/preprocess.ts). */
  preprocessing: z.enum(PREPROCESSINGS),
  /**
   * Working scale (engine/geometry/working-scale.ts): the FOV diameter (px) photographs are resampled to,
   * and the reference calibre of the widest vessels there; null: native resolution (older models).
   */
  scale: z
    .object({ fovDiameter: z.number().positive().finite(), calibre: z.number().positive().finite().optional() })
    .nullable()
    .default(null),
  /** Probability threshold chosen on training data (max F1); 0.5 when unknown. */
  threshold: z.number(),
  /** Training settings as given (steps, batch, crop, learning rate, augmentation, ...); fine-tuning adds what it kept. */
  recipe: z.looseObject({ keptStep: z.number().optional(), stoppedEarly: z.boolean().optional() }),
  data: z.object({ source: z.string(), images: z.array(z.string()) }),
  /** Scores by name ("test@0.5", "validation-before", ...), or a name ("validation-image"). */
  metrics: z.record(z.string(), z.union([z.number(), z.string(), z.record(z.string(), z.number())])),
  backend: z.object({ name: z.string(), device: z.string() }),
  trainingSeconds: z.number(),
  steps: z.number(),
  /** Written by saveModel; folders saved before checksums existed lack it and are checked by size only. */
  weights: WeightsChecksum.optional(),
  /** What the workspace knew when it made this version (image ids, reference set, times). */
  workspace: z.looseObject({ reference: z.array(z.string()).optional() }).optional(),
});
export type ModelMeta = z.infer<typeof ModelMeta>;
