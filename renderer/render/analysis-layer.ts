/**
 * The measurements drawn over the image (Konva nodes, updated imperatively): all centrelines as one
 * path (drawn twice: a dark halo, then white) and all branch points as one shape (a DRIVE image has ~350 segments, an 8-megapixel one
 * thousands), the segment under the pointer highlighted, and the optic disc with the edges of zones B
 * and C. Line widths are in screen pixels whatever the zoom.
 */
import Konva from 'konva';
import type { Disc, MeasurementReport, SegmentView } from '../../preload/contract';

/** Zone edges from the disc centre, in disc diameters (zone B 0.5-1 DD and zone C 0.5-2 DD from the margin). */
const ZONE_EDGES = [
  { dd: 1, colour: '#7dff8a' },
  { dd: 1.5, colour: '#7dff8a' },
  { dd: 2.5, colour: '#8ab4ff' },
];

export class AnalysisLayer {
  readonly group = new Konva.Group({ listening: false });
  private segments: SegmentView[] = [];
  private branchPoints: { x: number; y: number }[] = [];
  private readonly halo: Konva.Shape;
  private readonly centrelines: Konva.Shape;
  private readonly branches: Konva.Shape;
  private readonly hover: Konva.Line;
  private readonly disc: Konva.Circle;
  private readonly handle: Konva.Rect;
  private readonly zones: Konva.Circle[];

  constructor() {
    const path = (ctx: Konva.Context, shape: Konva.Shape) => {
      ctx.beginPath();
      for (const s of this.segments) {
        const p = s.points;
        ctx.moveTo(p[0], p[1]);
        for (let k = 2; k + 1 < p.length; k += 2) ctx.lineTo(p[k], p[k + 1]);
      }
      ctx.strokeShape(shape);
    };
    // White on a dark halo: readable over the yellow label, the cyan prediction and the photograph alike.
    const line = { strokeScaleEnabled: false, listening: false, perfectDrawEnabled: false, lineJoin: 'round' as const, sceneFunc: path };
    this.halo = new Konva.Shape({ ...line, stroke: 'rgba(0, 0, 0, 0.55)', strokeWidth: 3 });
    this.centrelines = new Konva.Shape({ ...line, stroke: '#ffffff', strokeWidth: 1.1 });
    this.branches = new Konva.Shape({
      fill: '#ff5a5a',
      listening: false,
      perfectDrawEnabled: false,
      sceneFunc: (ctx, shape) => {
        const r = 2.5 / shape.getAbsoluteScale().x;
        ctx.beginPath();
        for (const b of this.branchPoints) {
          ctx.moveTo(b.x + r, b.y);
          ctx.arc(b.x, b.y, r, 0, 2 * Math.PI);
        }
        ctx.fillShape(shape);
      },
    });
    this.hover = new Konva.Line({
      points: [],
      stroke: '#ff8c1a',
      strokeWidth: 3.5,
      strokeScaleEnabled: false,
      lineCap: 'round',
      lineJoin: 'round',
      listening: false,
    });
    this.zones = ZONE_EDGES.map(
      (z) => new Konva.Circle({ radius: 1, stroke: z.colour, strokeWidth: 1.2, dash: [6, 4], strokeScaleEnabled: false, listening: false }),
    );
    this.disc = new Konva.Circle({ radius: 1, stroke: '#ffffff', strokeWidth: 2, strokeScaleEnabled: false, listening: false });
    this.handle = new Konva.Rect({
      width: 9,
      height: 9,
      fill: '#ffffff',
      stroke: '#1f8fd6',
      strokeWidth: 1.5,
      strokeScaleEnabled: false,
      listening: false,
    });
    this.group.add(this.halo, this.centrelines, this.branches, this.hover, ...this.zones, this.disc, this.handle);
  }

  show(o: {
    report: MeasurementReport | null;
    hover: number | null;
    draft: Disc | null;
    centrelines: boolean;
    zones: boolean;
    editingDisc: boolean;
    zoom: number;
  }): void {
    const r = o.report;
    this.segments = r && o.centrelines ? r.segments : [];
    this.branchPoints = r && o.centrelines ? r.branchPoints : [];
    this.centrelines.visible(this.segments.length > 0);
    this.halo.visible(this.segments.length > 0);
    this.branches.visible(this.branchPoints.length > 0);
    const hovered = o.hover !== null ? this.segments.find((s) => s.id === o.hover) : undefined;
    this.hover.points(hovered ? hovered.points : []);
    this.hover.visible(hovered !== undefined);
    const d = o.draft ?? r?.disc ?? null;
    const showDisc = d !== null && (o.zones || o.editingDisc);
    for (const [k, z] of this.zones.entries()) {
      z.visible(showDisc);
      if (d) z.setAttrs({ x: d.cx, y: d.cy, radius: ZONE_EDGES[k].dd * d.diameter });
    }
    this.disc.visible(showDisc);
    this.handle.visible(showDisc && o.editingDisc);
    if (d) {
      this.disc.setAttrs({ x: d.cx, y: d.cy, radius: d.diameter / 2, fill: o.editingDisc ? 'rgba(255,255,255,0.12)' : undefined });
      // The resize handle on the disc's right edge, a fixed size on screen.
      const s = 9 / o.zoom;
      this.handle.setAttrs({ x: d.cx + d.diameter / 2 - s / 2, y: d.cy - s / 2, width: s, height: s });
    }
  }
}
