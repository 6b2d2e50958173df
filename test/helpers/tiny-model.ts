/** A tiny untrained U-Net saved as a model folder, for tests that need a real model quickly. */
import { initBackend } from '../../main/engine/backends';
import { buildUNet, disposeModel, parameterCount } from '../../main/engine/model';
import { META_FORMAT, saveModel } from '../../main/engine/model-io';
import { PREPROCESSING } from '../../main/engine/preprocess';

export async function saveTinyModel(dir: string, name = 'tiny test model'): Promise<void> {
  await initBackend('cpu');
  const config = { base: 4, depth: 2, dropout: 0 };
  const model = buildUNet(config);
  await saveModel(dir, model, {
    format: META_FORMAT,
    version: 1,
    name,
    createdAt: new Date().toISOString(),
    parent: null,
    architecture: { ...config, parameters: parameterCount(model) },
    preprocessing: PREPROCESSING,
    threshold: 0.5,
    recipe: {},
    data: { source: 'none (untrained)', images: [] },
    metrics: {},
    backend: { name: 'cpu', device: 'test' },
    trainingSeconds: 0,
    steps: 0,
  });
  disposeModel(model);
}
