/**
 * The measurement table: one row per image, the columns defined once here (name, unit, definition,
 * value) for the CLI's CSV, the app's export and docs/MEASUREMENTS.md (a test checks the document
 * lists exactly these). Numbers are written with a fixed number of decimals, so the same measurements
 * always give the same bytes; a missing value is an empty cell, never NaN.
 */
import type { ImageMeasurements } from './analyze-image';
import type { RegionMeasures } from './measure';

export interface RowInput {
  /** The image as named in the input (file path relative to the input folder, or as in the manifest). */
  image: string;
  /** ok: measured; failed: not (reason in notes). */
  status: 'ok' | 'failed';
  /** The model that made the segmentation ('' when a label was measured). */
  model: string;
  source: 'prediction' | 'label' | '';
  /** Probability threshold that made the prediction binary. */
  threshold: number | null;
  m: ImageMeasurements | null;
  /** Why it failed, when it did. */
  reason?: string;
}

export interface Column {
  name: string;
  unit: string;
  definition: string;
  /** Decimals for numbers (integers: 0). */
  digits: number;
  value(r: RowInput): number | string | null;
}

type RegionKey = 'fov' | 'B' | 'C';
const REGION_PREFIX: Record<RegionKey, string> = { fov: 'fov', B: 'zone_b', C: 'zone_c' };
const REGION_NAME: Record<RegionKey, string> = {
  fov: 'the field of view',
  B: 'zone B (0.5-1 disc diameter from the disc margin, inside the field of view)',
  C: 'zone C (0.5-2 disc diameters from the disc margin, inside the field of view)',
};

const um = (r: RowInput) => r.m?.scale?.umPerPx ?? null;
/** A length in px → µm or mm; a density per px → per mm (power −1), per px² → per mm² (power −2). */
function scaled(v: number | null | undefined, r: RowInput, power: number, toMm: boolean): number | null {
  const s = um(r);
  if (v === null || v === undefined || s === null) return null;
  const unit = toMm ? s / 1000 : s;
  return v * unit ** power;
}

function regionColumns(key: RegionKey): Column[] {
  const p = REGION_PREFIX[key];
  const where = REGION_NAME[key];
  const reg = (r: RowInput): RegionMeasures | null => r.m?.regions[key] ?? null;
  const col = (
    name: string,
    unit: string,
    digits: number,
    definition: string,
    value: (g: RegionMeasures, r: RowInput) => number | null,
  ): Column => ({
    name: `${p}_${name}`,
    unit,
    digits,
    definition,
    value: (r) => {
      const g = reg(r);
      return g ? value(g, r) : null;
    },
  });
  const cols: Column[] = [
    col('area_px', 'px', 0, `Pixels of ${where}.`, (g) => g.areaPx),
    ...(key === 'fov'
      ? []
      : [col('coverage', '', 3, `Share of the zone's full ring that the field of view shows (1 = all of it).`, (g) => g.coverage)]),
    col('vessel_density', '', 5, `Vessel area density: vessel pixels / pixels of ${where}.`, (g) => g.density),
    col(
      'fractal_dimension',
      '',
      4,
      `Box-counting dimension of the binary vessel map in ${where}: −slope of log N(s) against log s over six box sides s (2-64 px at DRIVE scale, see settings).`,
      (g) => g.fractalDimension,
    ),
    col('length_px', 'px', 1, `Centreline length in ${where} (smoothed skeleton).`, (g) => g.lengthPx),
    col('length_mm', 'mm', 3, `The same in millimetres (empty without a scale).`, (g, r) => scaled(g.lengthPx, r, 1, true)),
    col('length_density_px', 'px⁻¹', 6, `Centreline length / area of ${where}.`, (g) => g.lengthDensity),
    col('length_density_mm', 'mm⁻¹', 4, `The same per millimetre.`, (g, r) => scaled(g.lengthDensity, r, -1, true)),
    col('segments', '', 0, `Vessel segments whose midpoint lies in ${where}.`, (g) => g.segments),
    col('branch_points', '', 0, `Branch points in ${where}.`, (g) => g.branchPoints),
    col(
      'width_px',
      'px',
      3,
      `Mean vessel width: the segments' mean widths weighted by their lengths (segments ≥ the minimum length).`,
      (g) => g.widthPx,
    ),
    col('width_um', 'µm', 2, `The same in micrometres.`, (g, r) => scaled(g.widthPx, r, 1, false)),
    col('distance_tortuosity', '', 5, `Mean over segments of arc length / chord length (1 = straight).`, (g) => g.distanceTortuosity),
    col('squared_curvature_px', 'px⁻²', 8, `Mean over segments of (1/L)∫κ² ds along the centreline.`, (g) => g.squaredCurvature),
    col('squared_curvature_mm', 'mm⁻²', 4, `The same per square millimetre.`, (g, r) => scaled(g.squaredCurvature, r, -2, true)),
    col(
      'tortuosity_density_px',
      'px⁻¹',
      7,
      `Mean over segments of Grisan's tortuosity density (n−1)/n · 1/L · Σ(Lᵢ/Cᵢ − 1).`,
      (g) => g.tortuosityDensity,
    ),
    col('tortuosity_density_mm', 'mm⁻¹', 4, `The same per millimetre.`, (g, r) => scaled(g.tortuosityDensity, r, -1, true)),
  ];
  return cols;
}

export const COLUMNS: readonly Column[] = [
  {
    name: 'image',
    unit: '',
    digits: 0,
    definition: 'The image: its path relative to the input folder, or as the manifest names it.',
    value: (r) => r.image,
  },
  {
    name: 'status',
    unit: '',
    digits: 0,
    definition: '`ok`, or `failed` (nothing measured; the reason is in `notes`).',
    value: (r) => r.status,
  },
  {
    name: 'model',
    unit: '',
    digits: 0,
    definition:
      'The model that segmented the image: its folder name and the first 12 hex digits of the SHA-256 of its weights (empty when a label was measured).',
    value: (r) => r.model,
  },
  {
    name: 'source',
    unit: '',
    digits: 0,
    definition: "`prediction` (the model's probabilities above `threshold`) or `label` (a person's vessel map).",
    value: (r) => r.source,
  },
  {
    name: 'threshold',
    unit: '',
    digits: 3,
    definition: "Probability at or above which a predicted pixel is vessel (the model's own, from its meta.json).",
    value: (r) => r.threshold,
  },
  { name: 'width_px', unit: 'px', digits: 0, definition: 'Image width.', value: (r) => r.m?.width ?? null },
  { name: 'height_px', unit: 'px', digits: 0, definition: 'Image height.', value: (r) => r.m?.height ?? null },
  {
    name: 'fov_diameter_px',
    unit: 'px',
    digits: 1,
    definition: "The field of view's diameter: it sets the resolution of the measurements and, with the angle of view, the camera scale.",
    value: (r) => r.m?.fovDiameterPx ?? null,
  },
  {
    name: 'fov_diameter_source',
    unit: '',
    digits: 0,
    definition:
      '`fov` (the circle fitted to the FOV edge), `user` (set by hand), `calibre` (the prediction estimated it from the widest vessels), `image-width` (no FOV edge: assumed, so no camera scale).',
    value: (r) => r.m?.fovDiameterSource ?? '',
  },
  {
    name: 'scale_um_per_px',
    unit: 'µm/px',
    digits: 4,
    definition: 'Micrometres of retina per pixel (empty when unknown: then only the px columns are filled).',
    value: um,
  },
  {
    name: 'scale_source',
    unit: '',
    digits: 0,
    definition:
      "`camera` (angle of view × 288 µm/° over the field of view's diameter) or `disc` (1800 µm over the disc's diameter); empty without a scale.",
    value: (r) => r.m?.scale?.source ?? '',
  },
  {
    name: 'disc_x_px',
    unit: 'px',
    digits: 1,
    definition: 'Optic disc centre, x (image coordinates: pixel (0, 0) covers [0, 1)²).',
    value: (r) => r.m?.disc?.cx ?? null,
  },
  { name: 'disc_y_px', unit: 'px', digits: 1, definition: 'Optic disc centre, y.', value: (r) => r.m?.disc?.cy ?? null },
  {
    name: 'disc_diameter_px',
    unit: 'px',
    digits: 1,
    definition: 'Optic disc diameter (DD), the unit of the zones.',
    value: (r) => r.m?.disc?.diameter ?? null,
  },
  {
    name: 'disc_source',
    unit: '',
    digits: 0,
    definition: '`found` (in the photograph), `given` (by a person), or empty (no disc: zone columns empty).',
    value: (r) => r.m?.discSource ?? '',
  },
  ...regionColumns('fov'),
  ...regionColumns('B'),
  ...regionColumns('C'),
  {
    name: 'notes',
    unit: '',
    digits: 0,
    definition:
      'Why something is empty or approximate (no disc found, empty segmentation, no scale, …), or why the image failed; separated by " | ".',
    value: (r) => (r.status === 'failed' ? (r.reason ?? 'failed') : (r.m?.notes ?? []).join(' | ')),
  },
];

function cell(c: Column, r: RowInput): string {
  const v = c.value(r);
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? v.toFixed(c.digits) : '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvHeader(): string {
  return COLUMNS.map((c) => c.name).join(',');
}

/** One CSV line (no line break). */
export function csvRow(r: RowInput): string {
  return COLUMNS.map((c) => cell(c, r)).join(',');
}

/** The row's cells by column name, as the CSV has them (quoted where the CSV quotes). */
export function csvCells(r: RowInput): Record<string, string> {
  return Object.fromEntries(COLUMNS.map((c) => [c.name, cell(c, r)]));
}

/** The column table of docs/MEASUREMENTS.md. */
export function columnsMarkdown(): string {
  const lines = ['| column | unit | definition |', '| --- | --- | --- |'];
  for (const c of COLUMNS) lines.push(`| \`${c.name}\` | ${c.unit} | ${c.definition} |`);
  return lines.join('\n');
}
