/**
 * Measurements in the app: which vessel map an image is measured on (its label, else its prediction at
 * the threshold of the model version that made it), the settings (the image's own, else the
 * workspace's), the job in the compute process, the report the panel shows (with the exact CSV row
 * `analyze` would write), and exports. No Electron import here.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MeasurementReport } from '../preload/contract';
import type { FovDiameter, ImageMeasurements } from './analysis/analyze-image';
import { csvCells, csvHeader, csvRow, type RowInput } from './analysis/columns';
import { measurementsJson } from './analysis/json';
import { modelIdentity } from './cohort/model-identity';
import type { ComputeClient } from './compute/client';
import type { MeasureResult } from './compute/protocol';
import type { Emit } from './api';
import { UserError } from './workspace/errors';
import type { ModelEntry } from './workspace/models';
import type { Workspace } from './workspace/workspace';
import type { ImageRecord } from './workspace/store';

export interface MeasurerDeps {
  workspace: Workspace;
  compute: ComputeClient;
  emit: Emit;
  models(): Promise<ModelEntry[]>;
  chooseExportDir(what: 'labels' | 'measurements'): Promise<string | null>;
}

export interface ExportResult {
  dir: string;
  images: number;
  files: string[];
  skipped: { name: string; reason: string }[];
}

export class Measurer {
  /** Model identities by folder (versions never change in place; the bundled model only with the app). */
  private identities = new Map<string, Promise<string>>();
  private exports = 0;

  constructor(private readonly d: MeasurerDeps) {}

  /** Why an image cannot be measured yet, or null. */
  private async source(
    r: ImageRecord,
  ): Promise<{ row: Omit<RowInput, 'm'>; vesselsPath: string; threshold: number | null; modelId: string | null }> {
    const ws = this.d.workspace;
    if (r.label)
      return {
        row: { image: r.name, status: 'ok', model: '', source: 'label', threshold: null },
        vesselsPath: ws.path('labels', r.id),
        threshold: null,
        modelId: null,
      };
    if (!r.prediction) throw new UserError(`${r.name} has no vessel map yet: predict it or draw its label`);
    const model = (await this.d.models()).find((m) => m.summary.id === r.prediction!.modelId);
    if (!model) throw new UserError(`${r.name}'s prediction was made by a model version that is not here any more: predict it again`);
    let identity = this.identities.get(model.dir);
    if (!identity) this.identities.set(model.dir, (identity = modelIdentity(model.dir)));
    return {
      row: { image: r.name, status: 'ok', model: await identity, source: 'prediction', threshold: model.threshold },
      vesselsPath: ws.path('predictions', r.id),
      threshold: model.threshold,
      modelId: model.summary.id,
    };
  }

  private async measure(
    id: string,
    render: boolean,
    what: string,
  ): Promise<{ r: ImageRecord; row: RowInput; modelId: string | null; result: MeasureResult }> {
    const ws = this.d.workspace;
    const r = ws.record(id);
    const src = await this.source(r);
    // The FOV diameter: the user's, else the one the prediction was made at (measured, or corrected by
    // vessel calibre), else decided from the mask in the compute process, the engine's way.
    const scale = src.threshold !== null ? r.prediction?.scale : null;
    const fovDiameter: FovDiameter | undefined =
      r.fovDiameter !== null
        ? { px: r.fovDiameter, source: 'user', note: null }
        : scale
          ? { px: scale.fovDiameter, source: scale.source, note: scale.note }
          : undefined;
    const settings = {
      angleOfViewDeg: r.analysis.angleOfViewDeg ?? ws.analysis.angleOfViewDeg,
      scaleFrom: ws.analysis.scaleFrom,
      disc: r.analysis.disc,
      fovDiameter,
    };
    const { result } = this.d.compute.run(
      {
        kind: 'measure',
        photoPath: ws.path('images', id),
        vesselsPath: src.vesselsPath,
        threshold: src.threshold,
        fovPath: r.fov ? ws.path('masks', id) : null,
        settings,
        render,
      },
      `${what} of ${r.name}`,
    );
    const out = await result;
    return { r, row: { ...src.row, m: out.measurements }, modelId: src.modelId, result: out };
  }

  async report(id: string): Promise<MeasurementReport> {
    const { r, row, modelId } = await this.measure(id, false, 'Measurement');
    return toReport(r, row, row.m!, modelId, this.d.workspace);
  }

  /** Writes masks/, overlays/, json/ and measurements.csv for one image or every image with a vessel map. */
  async export(scope: 'image' | 'all', id: string | undefined): Promise<ExportResult | null> {
    const ws = this.d.workspace;
    if (scope === 'image' && !id) throw new UserError('Open an image to export its measurements');
    const records = scope === 'image' ? [ws.record(id!)] : [...ws.records()];
    const skipped: ExportResult['skipped'] = [];
    const ready = records.filter((r) => {
      if (r.label || r.prediction) return true;
      skipped.push({ name: r.name, reason: 'no vessel map yet (not predicted, no label)' });
      return false;
    });
    if (ready.length === 0)
      throw new UserError(
        scope === 'image'
          ? `${records[0].name} has no vessel map yet: predict it or draw its label`
          : 'No image has a vessel map yet: predict or label some first',
      );
    const parent = await this.d.chooseExportDir('measurements');
    if (!parent) return null;
    const dir = join(parent, `measurements-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    for (const sub of ['masks', 'overlays', 'json']) await mkdir(join(dir, sub), { recursive: true });
    const job = `export-${++this.exports}`;
    const files: string[] = [];
    const rows: string[] = [];
    for (const [k, r] of ready.entries()) {
      this.d.emit('compute:progress', {
        job,
        imageId: null,
        done: k,
        total: ready.length,
        message: `Exporting ${k + 1} of ${ready.length}: ${r.name}`,
      });
      try {
        const { row, result } = await this.measure(r.id, true, 'Export');
        await writeFile(join(dir, 'masks', `${r.id}.png`), result.maskPng!);
        await writeFile(join(dir, 'overlays', `${r.id}.png`), result.overlayPng!);
        await writeFile(join(dir, 'json', `${r.id}.json`), measurementsJson(row, true));
        files.push(`masks/${r.id}.png`, `overlays/${r.id}.png`, `json/${r.id}.json`);
        rows.push(csvRow(row));
      } catch (e) {
        skipped.push({ name: r.name, reason: (e as Error).message });
      }
    }
    await writeFile(join(dir, 'measurements.csv'), [csvHeader(), ...rows].join('\n') + '\n');
    files.push('measurements.csv');
    this.d.emit('compute:progress', {
      job,
      imageId: null,
      done: ready.length,
      total: ready.length,
      message: `Exported ${rows.length} image(s)`,
    });
    return { dir, images: rows.length, files, skipped };
  }
}

function toReport(r: ImageRecord, row: RowInput, m: ImageMeasurements, modelId: string | null, ws: Workspace): MeasurementReport {
  return {
    imageId: r.id,
    source: row.source === 'label' ? 'label' : 'prediction',
    modelId,
    threshold: row.threshold,
    width: m.width,
    height: m.height,
    fovDiameterPx: m.fovDiameterPx,
    disc: m.disc,
    discSource: m.discSource,
    scale: m.scale,
    imageSettings: r.analysis,
    defaults: ws.analysis,
    regions: m.regions,
    segments: m.segments.map((s) => ({
      id: s.id,
      points: s.points,
      lengthPx: s.lengthPx,
      widthPx: s.widthPx,
      distanceTortuosity: s.distanceTortuosity,
      squaredCurvature: s.squaredCurvature,
      tortuosityDensity: s.tortuosityDensity,
      measured: s.measured,
      zones: s.zones,
    })),
    branchPoints: m.branchPoints,
    notes: m.notes,
    csv: csvCells(row),
  };
}
