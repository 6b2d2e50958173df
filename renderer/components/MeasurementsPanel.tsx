/**
 * The open image's measurements: what was measured (label or prediction), the scale and the optic disc
 * with their settings, a table of the whole field of view and zones B and C, the notes, and export.
 * Every number is the text of the CSV cell `analyze` writes for this image (report.csv), so the screen
 * and the command line say the same.
 */
import { useEffect, useState } from 'react';
import type { MeasurementReport } from '../../preload/contract';
import { useEditorState, useServices } from './hooks';
import { OverlayCheck } from './OverlayCheck';

interface Row {
  label: string;
  /** Column suffix and unit with a scale, and without one. */
  scaled: [string, string];
  pixels: [string, string];
  zonesOnly?: boolean;
}

const ROWS: Row[] = [
  { label: 'Vessel density', scaled: ['vessel_density', ''], pixels: ['vessel_density', ''] },
  { label: 'Fractal dimension', scaled: ['fractal_dimension', ''], pixels: ['fractal_dimension', ''] },
  { label: 'Centreline length', scaled: ['length_mm', 'mm'], pixels: ['length_px', 'px'] },
  { label: 'Length density', scaled: ['length_density_mm', 'mm⁻¹'], pixels: ['length_density_px', 'px⁻¹'] },
  { label: 'Segments', scaled: ['segments', ''], pixels: ['segments', ''] },
  { label: 'Branch points', scaled: ['branch_points', ''], pixels: ['branch_points', ''] },
  { label: 'Mean width', scaled: ['width_um', 'µm'], pixels: ['width_px', 'px'] },
  { label: 'Tortuosity, arc/chord', scaled: ['distance_tortuosity', ''], pixels: ['distance_tortuosity', ''] },
  { label: 'Squared curvature', scaled: ['squared_curvature_mm', 'mm⁻²'], pixels: ['squared_curvature_px', 'px⁻²'] },
  { label: 'Tortuosity density', scaled: ['tortuosity_density_mm', 'mm⁻¹'], pixels: ['tortuosity_density_px', 'px⁻¹'] },
  { label: 'Zone shown', scaled: ['coverage', ''], pixels: ['coverage', ''], zonesOnly: true },
];

const REGIONS = [
  { prefix: 'fov', label: 'FOV', title: 'The whole field of view' },
  { prefix: 'zone_b', label: 'Zone B', title: '0.5-1 disc diameter from the disc margin' },
  { prefix: 'zone_c', label: 'Zone C', title: '0.5-2 disc diameters from the disc margin' },
] as const;

function Source({ r }: { r: MeasurementReport }) {
  if (r.source === 'label') return <>From the label</>;
  return (
    <>
      From the prediction ≥ {r.threshold} <span className="muted-inline">({r.modelId})</span>
    </>
  );
}

function AngleSetting({ r }: { r: MeasurementReport }) {
  const { controller } = useServices();
  const own = r.imageSettings.angleOfViewDeg;
  const shared = r.defaults.angleOfViewDeg;
  const [text, setText] = useState(String(own ?? shared ?? ''));
  const [scope, setScope] = useState<'image' | 'all'>(own !== null ? 'image' : 'all');
  useEffect(() => {
    setText(String(own ?? shared ?? ''));
    setScope(own !== null ? 'image' : 'all');
  }, [own, shared, r.imageId]);
  const commit = () => {
    const value = text.trim() === '' ? null : Number(text);
    if (value !== null && !(value >= 5 && value <= 220)) return;
    // Unchanged (a blur after looking): nothing to save or measure again.
    if (scope === 'image' ? value === own : value === shared && own === null) return;
    if (scope === 'image') void controller.measure.setImage({ angleOfViewDeg: value });
    else {
      void controller.measure.setDefaults({ ...r.defaults, angleOfViewDeg: value });
      if (own !== null) void controller.measure.setImage({ angleOfViewDeg: null });
    }
  };
  return (
    <div className="angle-setting">
      <label htmlFor="angle-of-view">Angle of view</label>
      <input
        id="angle-of-view"
        data-testid="angle-of-view"
        className="num"
        type="number"
        min={5}
        max={220}
        placeholder="—"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      <span className="unit">°</span>
      <select aria-label="Applies to" data-testid="angle-scope" value={scope} onChange={(e) => setScope(e.target.value as 'image' | 'all')}>
        <option value="image">this image</option>
        <option value="all">all images</option>
      </select>
    </div>
  );
}

export function MeasurementsPanel() {
  const { controller, actions } = useServices();
  const m = useEditorState((s) => s.measure);
  const tool = useEditorState((s) => s.tool);
  const hasImage = useEditorState((s) => s.imageSize !== null);
  const r = m.report;
  const scaled = r?.scale !== null && r?.scale !== undefined;
  return (
    <section className="measurements" aria-label="Measurements" data-testid="measurements" data-busy={m.busy}>
      <h2>
        Measurements{' '}
        {m.busy && (
          <span className="busy" data-testid="measure-busy">
            measuring…
          </span>
        )}
      </h2>
      {!hasImage && <p className="muted">Open an image to measure its vessels.</p>}
      {m.message && (
        <p className="muted" data-testid="measure-message">
          {m.message}
        </p>
      )}
      {r && (
        <>
          <p className="measure-source" data-testid="measure-source">
            <Source r={r} />
          </p>
          <dl className="facts">
            <dt>Scale</dt>
            <dd data-testid="measure-scale" title={r.scale?.detail}>
              {r.scale ? (
                <>
                  {r.csv.scale_um_per_px} µm/px · {r.scale.source === 'camera' ? 'camera' : 'disc = 1.8 mm'}
                </>
              ) : (
                'pixels only: set the angle of view'
              )}
            </dd>
            <dt>Optic disc</dt>
            <dd data-testid="measure-disc">
              {r.disc ? (
                <>
                  {r.discSource === 'given' ? 'placed' : 'found'} · ⌀ {r.csv.disc_diameter_px} px
                  {r.scale ? ` (${((r.disc.diameter * r.scale.umPerPx) / 1000).toFixed(2)} mm)` : ''}
                </>
              ) : (
                'not found: zones omitted'
              )}
            </dd>
          </dl>
          <AngleSetting r={r} />
          <div className="angle-setting">
            <label htmlFor="scale-from">Micrometres</label>
            <select
              id="scale-from"
              data-testid="scale-from"
              value={r.defaults.scaleFrom}
              onChange={(e) => void controller.measure.setDefaults({ ...r.defaults, scaleFrom: e.target.value as 'camera' | 'disc' })}
              title="Where micrometres come from: the camera's angle of view over the field of view, or a 1.8 mm optic disc"
            >
              <option value="camera">from the camera's angle</option>
              <option value="disc">from the disc (1.8 mm)</option>
            </select>
          </div>
          <div className="disc-buttons">
            <button
              type="button"
              className={`btn small ${tool === 'disc' ? 'active' : ''}`}
              data-testid="disc-tool"
              aria-pressed={tool === 'disc'}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => actions.run('tool-disc')}
              title="Drag the disc to move it, its edge to resize it"
            >
              {tool === 'disc' ? 'Done' : r.disc ? 'Move disc' : 'Place disc'}
            </button>
            {r.discSource === 'given' && (
              <button
                type="button"
                className="btn small"
                data-testid="disc-reset"
                onClick={() => void controller.measure.setImage({ disc: null })}
              >
                Find again
              </button>
            )}
          </div>
          <table className="measure-table" data-testid="measure-table">
            <thead>
              <tr>
                <th />
                {REGIONS.map((g) => (
                  <th key={g.prefix} title={g.title}>
                    {g.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {ROWS.map((row) => {
                const [col, unit] = scaled ? row.scaled : row.pixels;
                return (
                  <tr key={row.label}>
                    <th scope="row">
                      {row.label}
                      {unit && <span className="unit"> {unit}</span>}
                    </th>
                    {REGIONS.map((g) => {
                      const name = `${g.prefix}_${col}`;
                      const text = row.zonesOnly && g.prefix === 'fov' ? '' : (r.csv[name] ?? '');
                      return (
                        <td key={g.prefix} data-testid={`m-${name}`} data-csv={text}>
                          {text === '' ? '—' : text}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
          {r.notes.length > 0 && (
            <ul className="notes" data-testid="measure-notes">
              {r.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
        </>
      )}
      {hasImage && (
        <>
          <div className="layer-checks">
            <OverlayCheck flag="showCentrelines" testId="show-centrelines" swatch="centreline">
              Centrelines
            </OverlayCheck>
            <OverlayCheck flag="showZones" testId="show-zones" swatch="zone">
              Disc &amp; zones
            </OverlayCheck>
          </div>
          <div className="export-buttons">
            <span>Export</span>
            <button type="button" className="btn small" data-testid="export-image" onClick={() => actions.run('export-measurements')}>
              This image
            </button>
            <button type="button" className="btn small" data-testid="export-all" onClick={() => actions.run('export-measurements-all')}>
              All images
            </button>
          </div>
        </>
      )}
    </section>
  );
}
