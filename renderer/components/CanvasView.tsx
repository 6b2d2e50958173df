/**
 * The centre canvas: a Konva Stage with layers split by how often they change —
 *   photo (static per image) · prediction overlay (threshold/mode changes; hidden where a person decided)
 *   · edit (the decided label, or the diff; changes while painting, dirty-rect updates) · ui (FOV outline;
 *   view changes) · analysis (measured centrelines, disc and zones; new measurements, hover). The brush
 *   outline and the segment tooltip are DOM elements over the stage: following the pointer repaints no
 *   canvas at all. So the user sees the model's answer where nobody decided and the person's where they
 *   did: erasing a predicted vessel makes it go.
 * Overlays are tiled (render/surfaces.ts: one Konva.Image per 512x512 tile). While painting, the edit layer
 * is not redrawn by Konva: only the screen rectangle of the stroke's dirty rectangle is (render/redrawRegion.ts),
 * so a frame costs what the brush touched, not the 8-megapixel label.
 * The Stage transform is the editor's view. Everything is updated imperatively and batched once per
 * animation frame; React only renders the structure. DOM input is translated into editor.dispatch here
 * (the only place where input touches React).
 */
import Konva from 'konva';
import { useEffect, useRef, useState } from 'react';
import { Group, Image as KImage, Layer, Line, Stage } from 'react-konva';
import { thresholdByte } from '../editor/Editor';
import { unionRect, type Rect } from '../editor/geometry';
import type { EditorState } from '../editor/types';
import { AnalysisLayer } from '../render/analysis-layer';
import { fovOutline } from '../render/colorize';
import { SegmentTip } from './SegmentTip';
import { redrawRegion } from '../render/redrawRegion';
import { Surfaces, type TiledSurface } from '../render/surfaces';
import { useEditorState, useServices } from './hooks';

interface Pending {
  analysis: boolean;
  photo: boolean;
  prediction: boolean;
  label: Rect | null;
  labelAll: boolean;
  fov: boolean;
  view: boolean;
  ui: boolean;
}

const nothing = (): Pending => ({
  analysis: false,
  photo: false,
  prediction: false,
  label: null,
  labelAll: false,
  fov: false,
  view: false,
  ui: false,
});

/** The label layer's own opacity (the photograph shows through); the diff follows the overlay opacity. */
const LABEL_OPACITY = 0.85;

/** Shows a surface in a group: one Konva.Image per tile, at the tile's place in the image. */
function showTiles(group: Konva.Group, surface: TiledSurface): void {
  group.destroyChildren();
  for (const t of surface.tiles) {
    const { x, y, w, h } = t.rect;
    group.add(new Konva.Image({ image: t.canvas, x, y, width: w, height: h, listening: false, perfectDrawEnabled: false }));
  }
}

export function CanvasView() {
  const { editor } = useServices();
  const containerRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const photoLayer = useRef<Konva.Layer>(null);
  const predLayer = useRef<Konva.Layer>(null);
  const editLayer = useRef<Konva.Layer>(null);
  const uiLayer = useRef<Konva.Layer>(null);
  const analysisLayer = useRef<Konva.Layer>(null);
  const photoImg = useRef<Konva.Image>(null);
  const predImg = useRef<Konva.Group>(null);
  const labelImg = useRef<Konva.Group>(null);
  const diffImg = useRef<Konva.Group>(null);
  const fovLine = useRef<Konva.Line>(null);
  const brush = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const hasImage = useEditorState((s) => s.currentId !== null && s.imageSize !== null);
  const loading = useEditorState((s) => s.loading);
  const cursorStyle = useEditorState((s) => {
    if (!s.imageSize) return 'default';
    if (s.interaction === 'panning') return 'grabbing';
    if (s.spaceHeld || s.tool === 'pan') return 'grab';
    if (s.tool === 'disc') return 'move';
    return 'none';
  });

  // Viewport size.
  useEffect(() => {
    const el = containerRef.current!;
    const ro = new ResizeObserver(() => {
      const r = el.getBoundingClientRect();
      const width = Math.max(1, Math.floor(r.width));
      const height = Math.max(1, Math.floor(r.height));
      setSize({ width, height });
      editor.setViewport(width, height);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [editor]);

  // Rendering: collect changes, draw once per frame.
  useEffect(() => {
    const surfaces = new Surfaces();
    const analysis = new AnalysisLayer();
    analysisLayer.current!.add(analysis.group);
    let pending = nothing();
    let frame = 0;
    let diffStale = true;
    let prev: EditorState = editor.state;

    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(flush);
    };

    const flush = () => {
      frame = 0;
      const p = pending;
      pending = nothing();
      const s = editor.state;
      const stage = stageRef.current;
      if (!stage) return;
      const o = s.overlay;
      const tb = thresholdByte(o.threshold);
      const layersToDraw = new Set<Konva.Layer>();
      // Image rectangles of the edit and prediction layers to redraw when nothing else needs their full redraw.
      let editRegion: Rect | null = null;
      let predRegion: Rect | null = null;
      // Where a person decided, the label is shown and the prediction gives way (unless the label is hidden).
      const hidden = o.showLabel && !o.diff ? editor.decided : null;

      if (p.photo || p.prediction || p.labelAll) {
        const changed = surfaces.resize(Math.max(1, editor.width), Math.max(1, editor.height));
        if (changed) {
          showTiles(predImg.current!, surfaces.prediction!);
          showTiles(labelImg.current!, surfaces.label!);
          showTiles(diffImg.current!, surfaces.diff!);
          layersToDraw.add(predLayer.current!);
          layersToDraw.add(editLayer.current!);
          p.prediction = true;
          p.labelAll = true;
        }
      }
      if (p.photo) {
        const img = photoImg.current!;
        img.image((editor.photo as CanvasImageSource | null) ?? undefined);
        img.size({ width: editor.width, height: editor.height });
        layersToDraw.add(photoLayer.current!);
      }
      if (p.prediction && editor.hasImage) {
        surfaces.drawPrediction(editor.prediction, o.threshold, o.mode, hidden);
        layersToDraw.add(predLayer.current!);
        diffStale = true;
      }
      if (editor.hasImage && (p.labelAll || p.label)) {
        const rect = p.labelAll ? null : p.label;
        surfaces.drawLabel(editor.label, editor.reviewed ? null : editor.decided, rect);
        if (!p.prediction) {
          surfaces.drawPrediction(editor.prediction, o.threshold, o.mode, hidden, rect);
          if (rect) predRegion = unionRect(predRegion, rect);
          else layersToDraw.add(predLayer.current!);
        }
        if (o.diff && !diffStale) surfaces.drawDiff(editor.label, editor.prediction, tb, rect, editor.fov);
        else diffStale = true;
        if (rect) editRegion = unionRect(editRegion, rect);
        else layersToDraw.add(editLayer.current!);
      }
      if (o.diff && diffStale && editor.hasImage) {
        surfaces.drawDiff(editor.label, editor.prediction, tb, null, editor.fov);
        diffStale = false;
        layersToDraw.add(editLayer.current!);
      }
      // Visibility and opacity.
      const pl = predLayer.current!;
      // A reviewed label is all decided: the prediction has nothing left to show beside it.
      const predVisible = o.showPrediction && !o.diff && editor.prediction !== null && !(editor.reviewed && o.showLabel);
      if (pl.visible() !== predVisible || pl.opacity() !== o.opacity) {
        pl.visible(predVisible);
        pl.opacity(o.opacity);
        layersToDraw.add(pl);
      }
      const li = labelImg.current!;
      const di = diffImg.current!;
      if (li.visible() !== (o.showLabel && !o.diff) || di.visible() !== o.diff || di.opacity() !== o.opacity) {
        li.visible(o.showLabel && !o.diff);
        di.visible(o.diff);
        // The diff is an overlay like the prediction: the opacity slider sets how much photograph shows through.
        di.opacity(o.opacity);
        layersToDraw.add(editLayer.current!);
      }
      if (p.fov) {
        fovLine.current!.points(editor.fov ? fovOutline(editor.fov, editor.width, editor.height) : []);
        p.ui = true;
      }
      if (p.view) {
        const v = s.view;
        stage.scale({ x: v.zoom, y: v.zoom });
        stage.position({ x: v.x, y: v.y });
        // Photograph and probabilities (continuous): filtered below 2x, as nearest neighbour at 1.3x makes
        // uneven pixel widths and moiré in fine texture. Label and diff (binary masks): filtered only when
        // minified; from 100 % on, nearest neighbour shows each label pixel as the square it is (and is cheaper).
        photoLayer.current!.imageSmoothingEnabled(v.zoom < 2);
        predLayer.current!.imageSmoothingEnabled(v.zoom < 2);
        editLayer.current!.imageSmoothingEnabled(v.zoom < 1);
        for (const l of [photoLayer, predLayer, editLayer, uiLayer]) layersToDraw.add(l.current!);
      }
      if (p.ui || p.view) {
        const c = brush.current!.style;
        const tool = editor.effectiveTool;
        const pt = s.pointer;
        const showBrush = !!pt && editor.hasImage && tool !== 'pan' && tool !== 'disc' && s.interaction !== 'panning';
        c.display = showBrush ? 'block' : 'none';
        if (showBrush && pt) {
          const d = Math.max(s.brushSize * s.view.zoom, 4);
          c.width = c.height = `${d}px`;
          c.transform = `translate(${pt.x - d / 2}px, ${pt.y - d / 2}px)`;
          c.borderColor = tool === 'eraser' ? '#ff6b6b' : '#ffe14d';
        }
        const fov = fovLine.current!;
        const fovVisible = o.showFov && !!editor.fov;
        if (fov.visible() !== fovVisible || p.fov || p.view) {
          fov.visible(fovVisible);
          layersToDraw.add(uiLayer.current!);
        }
      }
      if (p.analysis || p.view) {
        analysis.show({
          report: s.measure.report,
          hover: s.measure.hover,
          draft: s.measure.draft,
          centrelines: o.showCentrelines,
          zones: o.showZones,
          editingDisc: s.tool === 'disc',
          zoom: s.view.zoom,
        });
        layersToDraw.add(analysisLayer.current!);
      }
      for (const l of layersToDraw) l.batchDraw();
      if (editRegion && !layersToDraw.has(editLayer.current!)) redrawRegion(editLayer.current!, editRegion);
      if (predRegion && !layersToDraw.has(predLayer.current!)) redrawRegion(predLayer.current!, predRegion);
    };

    const offPixels = editor.onPixels((layer, rect) => {
      if (layer === 'photo') pending.photo = true;
      else if (layer === 'prediction') pending.prediction = true;
      else if (layer === 'fov') {
        pending.fov = true;
        diffStale = true;
      } else if (rect) pending.label = unionRect(pending.label, rect);
      else pending.labelAll = true;
      schedule();
    });
    const offState = editor.subscribe(() => {
      const s = editor.state;
      if (s.view !== prev.view) pending.view = true;
      if (
        s.pointer !== prev.pointer ||
        s.brushSize !== prev.brushSize ||
        s.tool !== prev.tool ||
        s.altHeld !== prev.altHeld ||
        s.spaceHeld !== prev.spaceHeld ||
        s.interaction !== prev.interaction
      )
        pending.ui = true;
      if (s.overlay !== prev.overlay) {
        const a = s.overlay;
        const b = prev.overlay;
        if (a.threshold !== b.threshold || a.mode !== b.mode || a.showLabel !== b.showLabel || a.diff !== b.diff) pending.prediction = true;
        if (a.threshold !== b.threshold) diffStale = true;
        if (a.showCentrelines !== b.showCentrelines || a.showZones !== b.showZones) pending.analysis = true;
        pending.ui = true;
      }
      if (s.measure !== prev.measure || s.tool !== prev.tool) pending.analysis = true;
      prev = s;
      if (pending.view || pending.ui || pending.prediction || pending.analysis) schedule();
    });
    // Initial paint (an image may already be loaded).
    pending = { analysis: true, photo: true, prediction: true, label: null, labelAll: true, fov: true, view: true, ui: true };
    schedule();
    return () => {
      offPixels();
      offState();
      analysis.group.destroy();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [editor]);

  // Input: pointer, wheel → editor.dispatch.
  useEffect(() => {
    const el = containerRef.current!;
    const local = (e: { clientX: number; clientY: number }) => {
      const r = el.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const mods = (e: PointerEvent) => ({ alt: e.altKey, shift: e.shiftKey, ctrl: e.ctrlKey || e.metaKey });
    const onDown = (e: PointerEvent) => {
      if (e.button === 2) return;
      const p = local(e);
      if (editor.dispatch({ type: 'pointer_down', ...p, button: e.button, ...mods(e) })) {
        e.preventDefault();
        el.setPointerCapture(e.pointerId);
        (document.activeElement as HTMLElement | null)?.blur?.();
      }
    };
    const onMove = (e: PointerEvent) => {
      const painting = editor.state.interaction !== 'idle';
      const events = painting && typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
      for (const ce of events.length > 0 ? events : [e]) {
        editor.dispatch({ type: 'pointer_move', ...local(ce), button: e.button, ...mods(e) });
      }
    };
    const onUp = (e: PointerEvent) => {
      editor.dispatch({ type: 'pointer_up', ...local(e), button: e.button, ...mods(e) });
      if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId);
    };
    const onCancel = () => editor.cancelInteraction();
    const onLeave = () => editor.dispatch({ type: 'pointer_leave' });
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const scale = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? 400 : 1;
      editor.dispatch({ type: 'wheel', ...local(e), deltaY: e.deltaY * scale });
    };
    const onAux = (e: MouseEvent) => e.button === 1 && e.preventDefault();
    const onContext = (e: MouseEvent) => e.preventDefault();
    el.addEventListener('pointerdown', onDown);
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerup', onUp);
    el.addEventListener('pointercancel', onCancel);
    el.addEventListener('pointerleave', onLeave);
    el.addEventListener('wheel', onWheel, { passive: false });
    el.addEventListener('auxclick', onAux);
    el.addEventListener('mousedown', onAux);
    el.addEventListener('contextmenu', onContext);
    return () => {
      el.removeEventListener('pointerdown', onDown);
      el.removeEventListener('pointermove', onMove);
      el.removeEventListener('pointerup', onUp);
      el.removeEventListener('pointercancel', onCancel);
      el.removeEventListener('pointerleave', onLeave);
      el.removeEventListener('wheel', onWheel);
      el.removeEventListener('auxclick', onAux);
      el.removeEventListener('mousedown', onAux);
      el.removeEventListener('contextmenu', onContext);
    };
  }, [editor]);

  return (
    <div
      className="canvas"
      ref={containerRef}
      data-testid="canvas"
      style={{ cursor: cursorStyle }}
      aria-label="Image canvas"
      role="application"
    >
      <Stage ref={stageRef} width={size.width} height={size.height} listening={false}>
        <Layer ref={photoLayer} listening={false}>
          <KImage ref={photoImg} image={undefined} listening={false} />
        </Layer>
        <Layer ref={predLayer} listening={false}>
          <Group ref={predImg} listening={false} />
        </Layer>
        <Layer ref={editLayer} listening={false}>
          <Group ref={labelImg} listening={false} opacity={LABEL_OPACITY} />
          <Group ref={diffImg} listening={false} visible={false} />
        </Layer>
        <Layer ref={uiLayer} listening={false}>
          <Line
            ref={fovLine}
            points={[]}
            closed
            stroke="#8aa4c8"
            strokeWidth={1.5}
            dash={[6, 4]}
            strokeScaleEnabled={false}
            opacity={0.8}
            listening={false}
          />
        </Layer>
        <Layer ref={analysisLayer} listening={false} />
      </Stage>
      <div ref={brush} className="brush-cursor" data-testid="brush-cursor" aria-hidden="true" />
      <SegmentTip />
      {!hasImage && !loading && (
        <div className="canvas-empty" data-testid="first-run">
          <p>Open a colour fundus photograph to start.</p>
          <p className="hint">Ctrl+O · Ctrl+Shift+O for a folder · or drop image files here</p>
          <ol className="steps">
            <li>
              The model’s vessels appear in cyan. Where it is wrong, paint missing vessels (B) and erase false ones (E): what you paint or
              erase is yours, in yellow.
            </li>
            <li>N jumps to where the model is least sure. When the whole image is right, press R: Reviewed.</li>
            <li>Retrain learns from what you decided. A new version is used only if it does better on images it did not train on.</li>
          </ol>
        </div>
      )}
      {loading && (
        <div className="canvas-loading" role="status">
          Loading…
        </div>
      )}
    </div>
  );
}
