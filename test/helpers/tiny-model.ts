/** A tiny untrained U-Net saved as a model folder, for tests that need a real model quickly. */
import { initBackend } from '../../main/engine/backends';
import { buildUNet } from '../../main/engine/model';
import { newModelMeta, saveModel, type ModelMeta } from '../../main/engine/model-io';

/** `input`: how it reads photographs (default: native resolution, standardised). */
export async function saveTinyModel(
  dir: string,
  name = 'tiny test model',
  input: Partial<Pick<ModelMeta, 'scale' | 'preprocessing'>> = {},
): Promise<void> {
  const backend = await initBackend('cpu');
  const config = { base: 4, depth: 2, dropout: 0 };
  // Seeded: an untrained net's output depends on its random start, and tests read that output.
  const model = buildUNet(config, 1);
  await saveModel(dir, model, newModelMeta({ name, model, config, backend, data: { source: 'none (untrained)', images: [] }, ...input }));
  model.dispose();
}
