/**
 * Measurements as JSON for export: every number as measured, units in the key names, and each segment
 * with or without its centreline (the command line leaves the polylines out to keep a cohort small).
 */
import type { ImageMeasurements } from './analyze-image';
import type { RowInput } from './columns';

export function measurementsJson(r: RowInput, withCentrelines: boolean): string {
  const m = r.m;
  const body = {
    image: r.image,
    status: r.status,
    model: r.model,
    source: r.source,
    threshold: r.threshold,
    reason: r.reason ?? null,
    measurements: m ? (withCentrelines ? m : dropCentrelines(m)) : null,
  };
  return JSON.stringify(body, null, 1) + '\n';
}

function dropCentrelines(
  m: ImageMeasurements,
): Omit<ImageMeasurements, 'segments' | 'calibre'> & { segments: unknown[]; calibre: unknown } {
  const c = m.calibre;
  const vessels = (list: NonNullable<typeof c>['arteries']) => list.map(({ points: _points, ...rest }) => rest);
  return {
    ...m,
    segments: m.segments.map(({ points: _points, ...rest }) => rest),
    calibre: c ? { ...c, arteries: vessels(c.arteries), veins: vessels(c.veins) } : null,
  };
}
