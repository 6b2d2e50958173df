/**
 * Two versions' predictions of the open image: side by side (photograph with each version's overlay,
 * same colours and opacity as the main view, each version at its own threshold) or as a difference
 * (green: vessel only for the other version, magenta: only for the version in use). The captions give
 * each version's threshold and held-out numbers, the same ones its version card shows.
 */
import { useEffect, useRef } from 'react';
import { PREDICTION_RGB, rgba } from '../render/colorize';
import { thresholdByte } from '../editor/Editor';
import { heldOutNumbers } from './heldOut';
import { useEditorState, useServices } from './hooks';

const ONLY_B = rgba(52, 199, 89, 255);
const ONLY_A = rgba(255, 55, 200, 255);

function Pane(props: { testId: string; title: string; draw: (ctx: CanvasRenderingContext2D) => void; width: number; height: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx) props.draw(ctx);
  });
  return (
    <figure className="compare-pane">
      <figcaption>{props.title}</figcaption>
      <div className="canvas-box">
        <canvas ref={ref} data-testid={props.testId} width={props.width} height={props.height} />
      </div>
    </figure>
  );
}

export function CompareView() {
  const { editor, controller } = useServices();
  const c = useEditorState((s) => s.compare);
  const versions = useEditorState((s) => s.versions);
  const opacity = useEditorState((s) => s.overlay.opacity);
  if (!c) return null;
  const name = (id: string) => versions.find((v) => v.id === id)?.name ?? id;
  const caption = (id: string, t: number) => {
    const val = versions.find((v) => v.id === id)?.validation;
    return `${name(id)}${id === c.a ? ' (in use)' : ''} · threshold ${t.toFixed(2)}${val ? ` · held out: ${heldOutNumbers(val)}` : ''}`;
  };
  const { width, height } = c;
  const ta = thresholdByte(c.aThreshold);
  const tbB = thresholdByte(c.bThreshold);
  const photo = editor.photo as CanvasImageSource | null;
  const overlay = (prob: Uint8Array, tb: number) => (ctx: CanvasRenderingContext2D) => {
    ctx.clearRect(0, 0, width, height);
    if (photo) ctx.drawImage(photo, 0, 0, width, height);
    const img = ctx.createImageData(width, height);
    const out = new Uint32Array(img.data.buffer);
    const [r, g, b] = PREDICTION_RGB;
    for (let i = 0; i < prob.length; i++) out[i] = prob[i] >= tb ? rgba(r, g, b, Math.round(prob[i] * opacity)) : 0;
    const layer = new OffscreenCanvas(width, height);
    layer.getContext('2d')!.putImageData(img, 0, 0);
    ctx.drawImage(layer, 0, 0);
  };
  const difference = (a: Uint8Array, bProb: Uint8Array) => (ctx: CanvasRenderingContext2D) => {
    ctx.clearRect(0, 0, width, height);
    if (photo) {
      ctx.globalAlpha = 0.45;
      ctx.drawImage(photo, 0, 0, width, height);
      ctx.globalAlpha = 1;
    }
    const img = ctx.createImageData(width, height);
    const out = new Uint32Array(img.data.buffer);
    for (let i = 0; i < a.length; i++) {
      const pa = a[i] >= ta;
      const pb = bProb[i] >= tbB;
      out[i] = pa === pb ? 0 : pb ? ONLY_B : ONLY_A;
    }
    const layer = new OffscreenCanvas(width, height);
    layer.getContext('2d')!.putImageData(img, 0, 0);
    ctx.drawImage(layer, 0, 0);
  };
  let changed = 0;
  if (c.aProb && c.bProb) for (let i = 0; i < c.aProb.length; i++) if (c.aProb[i] >= ta !== c.bProb[i] >= tbB) changed++;
  return (
    <div className="compare-view" data-testid="compare-view" role="dialog" aria-label="Compare model versions">
      <div className="compare-head">
        <strong>
          {name(c.a)} (in use) vs {name(c.b)}
        </strong>
        <div className="segmented" role="radiogroup" aria-label="Comparison mode">
          {(['side-by-side', 'difference'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={c.mode === m}
              className={c.mode === m ? 'active' : ''}
              data-testid={`compare-${m}`}
              onClick={() => controller.models.setCompareMode(m)}
            >
              {m === 'side-by-side' ? 'Side by side' : 'Difference'}
            </button>
          ))}
        </div>
        <button type="button" className="btn" data-testid="compare-close" onClick={() => controller.models.closeCompare()}>
          Close
        </button>
      </div>
      {!c.aProb || !c.bProb ? (
        <p className="muted">Predicting with both versions…</p>
      ) : c.mode === 'side-by-side' ? (
        <div className="compare-panes">
          <Pane testId="compare-a" title={caption(c.a, c.aThreshold)} draw={overlay(c.aProb, ta)} width={width} height={height} />
          <Pane testId="compare-b" title={caption(c.b, c.bThreshold)} draw={overlay(c.bProb, tbB)} width={width} height={height} />
        </div>
      ) : (
        <div className="compare-panes single">
          <Pane
            testId="compare-diff"
            title={`${changed.toLocaleString()} pixels differ, each version at its own threshold (${c.aThreshold.toFixed(2)}, ${c.bThreshold.toFixed(2)})`}
            draw={difference(c.aProb, c.bProb)}
            width={width}
            height={height}
          />
          <ul className="legend">
            <li>
              <span className="swatch only-b" /> Vessel only in {name(c.b)}
            </li>
            <li>
              <span className="swatch only-a" /> Vessel only in {name(c.a)}
            </li>
          </ul>
        </div>
      )}
    </div>
  );
}
