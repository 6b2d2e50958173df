/** A tiny untrained U-Net saved as a model folder, for tests that need a real model quickly. */
import { initBackend } from '../../main/engine/backends';
import { buildUNet } from '../../main/engine/model';
import { newModelMeta, saveModel } from '../../main/engine/model-io';

export async function saveTinyModel(dir: string, name = 'tiny test model'): Promise<void> {
  const backend = await initBackend('cpu');
  const config = { base: 4, depth: 2, dropout: 0 };
  // Seeded: an untrained net's output depends on its random start, and tests read that output.
  const model = buildUNet(config, 1);
  await saveModel(dir, model, newModelMeta({ name, model, config, backend, data: { source: 'none (untrained)', images: [] } }));
  model.dispose();
}
