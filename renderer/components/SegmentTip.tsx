/**
 * The tooltip of the segment under the pointer: its width, length and tortuosities, in micrometres and
 * millimetres when the image has a scale, else in pixels.
 */
import type { MeasurementReport, SegmentView } from '../../preload/contract';
import { useEditorState } from './hooks';

/** The tip's size (styles.css .segment-tip), for keeping it inside the canvas. */
const TIP_WIDTH = 236;
const TIP_HEIGHT = 150;

function lines(s: SegmentView, r: MeasurementReport): [string, string][] {
  const um = r.scale?.umPerPx ?? null;
  const len = um ? `${((s.lengthPx * um) / 1000).toFixed(3)} mm` : `${s.lengthPx.toFixed(1)} px`;
  const width = s.widthPx === null ? '—' : um ? `${(s.widthPx * um).toFixed(1)} µm` : `${s.widthPx.toFixed(2)} px`;
  // A per-length measure (px⁻¹ or px⁻²) in mm when the scale is known.
  const perLength = (v: number | null, power: 1 | 2) => {
    const exp = power === 2 ? '⁻²' : '⁻¹';
    if (v === null) return '—';
    return um ? `${(v * (1000 / um) ** power).toFixed(3)} mm${exp}` : `${v.toExponential(2)} px${exp}`;
  };
  const sc = perLength(s.squaredCurvature, 2);
  const td = perLength(s.tortuosityDensity, 1);
  return [
    ['Width', width],
    ['Length', len],
    ['Tortuosity, arc/chord', s.distanceTortuosity === null ? '— (too short)' : s.distanceTortuosity.toFixed(4)],
    ['Squared curvature', sc],
    ['Tortuosity density', td],
    ['Zone', s.zones.length === 0 ? 'outside B and C' : s.zones.join(', ')],
  ];
}

export function SegmentTip() {
  const hover = useEditorState((s) => s.measure.hover);
  const report = useEditorState((s) => s.measure.report);
  // Follows the pointer only while a segment is hovered (no re-render otherwise).
  const pointer = useEditorState((s) => (s.measure.hover !== null ? s.pointer : null));
  const viewport = useEditorState((s) => s.viewport);
  const seg = hover !== null && report ? report.segments.find((s) => s.id === hover) : undefined;
  if (!seg || !report || !pointer) return null;
  // Beside the pointer, on whichever side keeps the tip inside the canvas.
  const x = pointer.x + 16 + TIP_WIDTH > viewport.width ? pointer.x - 16 - TIP_WIDTH : pointer.x + 16;
  const y = pointer.y + 16 + TIP_HEIGHT > viewport.height ? pointer.y - 16 - TIP_HEIGHT : pointer.y + 16;
  return (
    <div
      className="segment-tip"
      data-testid="segment-tip"
      data-segment={seg.id}
      style={{ transform: `translate(${Math.max(0, x)}px, ${Math.max(0, y)}px)` }}
    >
      <div className="tip-title">Segment {seg.id + 1}</div>
      <dl>
        {lines(seg, report).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
