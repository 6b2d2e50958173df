/**
 * What a retraining uses from the workspace: every image with a saved label, split into corrections
 * (fine-tuned on, the last one held out for validation when there are 3 or more) and reference images
 * (mixed in against forgetting). Oldest first, so the held-out image is the most recently imported.
 */
import type { SampleFiles } from '../compute/protocol';
import { UserError } from './errors';
import { summarize, type Workspace } from './workspace';

export interface TrainingSet {
  samples: SampleFiles[];
  reference: SampleFiles[];
}

export function trainingSet(ws: Workspace, originalSet: ReadonlySet<string>): TrainingSet {
  const samples: SampleFiles[] = [];
  const reference: SampleFiles[] = [];
  for (const r of ws.records()) {
    if (!r.label) continue;
    const files: SampleFiles = {
      name: r.id,
      imagePath: ws.path('images', r.id),
      labelPath: ws.path('labels', r.id),
      fovPath: r.fov ? ws.path('masks', r.id) : null,
    };
    (summarize(r, originalSet).reference ? reference : samples).push(files);
  }
  if (samples.length === 0) {
    throw new UserError(
      reference.length
        ? `Nothing to retrain on: the ${reference.length} labelled image(s) are all reference images. Correct another image first.`
        : 'Nothing to retrain on: no image has a label yet. Correct a prediction with the brush first.',
    );
  }
  return { samples, reference };
}
