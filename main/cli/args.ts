/** The command line's options as node:util parses them (every command shares one option table). */
import { parseArgs } from 'node:util';

export type Args = ReturnType<typeof parseCommandLine>;

export function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string', multiple: true },
      out: { type: 'string' },
      model: { type: 'string' },
      split: { type: 'string' },
      steps: { type: 'string' },
      batch: { type: 'string' },
      crop: { type: 'string' },
      base: { type: 'string' },
      depth: { type: 'string' },
      dropout: { type: 'string' },
      lr: { type: 'string' },
      schedule: { type: 'string' },
      loss: { type: 'string' },
      seed: { type: 'string' },
      'checkpoint-every': { type: 'string' },
      resume: { type: 'boolean' },
      backend: { type: 'string' },
      backends: { type: 'string' },
      limit: { type: 'string' },
      threshold: { type: 'string' },
      scale: { type: 'string' },
      preprocess: { type: 'string' },
      augment: { type: 'string' },
      photometric: { type: 'string' },
      'fov-diameter': { type: 'string' },
      reference: { type: 'string' },
      float: { type: 'string' },
      workers: { type: 'string' },
      'reference-step-ms': { type: 'string' },
      'reference-image-ms': { type: 'string' },
      'correction-weight': { type: 'string' },
      json: { type: 'boolean' },
      row: { type: 'boolean' },
      'write-meta': { type: 'boolean' },
      profile: { type: 'boolean' },
      'compare-kernels': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
