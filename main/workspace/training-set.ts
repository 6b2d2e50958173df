/**
 * What a retraining uses from the workspace: every image with a label that is not excluded, split into
 * corrections (fine-tuned on; finetune holds part of them out to measure the change) and reference
 * images (mixed in against forgetting). Oldest first.
 */
import type { SampleFiles } from '../compute/protocol';
import { UserError } from './errors';
import { isReviewed, summarize, type Workspace } from './workspace';

export interface TrainingSet {
  samples: SampleFiles[];
  reference: SampleFiles[];
}

export function trainingSet(ws: Workspace, originalSet: ReadonlySet<string>): TrainingSet {
  const samples: SampleFiles[] = [];
  const reference: SampleFiles[] = [];
  for (const r of ws.records()) {
    if (!r.label || r.excluded) continue;
    const files: SampleFiles = {
      name: r.id,
      imagePath: ws.path('images', r.id),
      labelPath: ws.path('labels', r.id),
      fovPath: r.fov ? ws.path('masks', r.id) : null,
      reviewed: isReviewed(r.label),
    };
    (summarize(r, originalSet).reference ? reference : samples).push(files);
  }
  if (samples.length === 0) {
    throw new UserError(
      reference.length
        ? `Nothing to retrain on: the ${reference.length} labelled image(s) are all reference images. Correct another image first.`
        : 'Nothing to retrain on: no image has edits yet. Correct a prediction with the brush or the eraser first.',
    );
  }
  return { samples, reference };
}
