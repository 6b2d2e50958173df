/**
 * The retraining section of the side panel: what a run will use (corrected and reference images, with a
 * switch for the open image), then the run itself: phase, step/total, live loss and validation-F1
 * charts, elapsed/ETA and backend, Cancel while it runs, and how it ended (with Retry after a failure).
 */
import { useEffect, useState } from 'react';
import type { RetrainState } from '../../preload/contract';
import { LineChart } from './LineChart';
import { useEditorState, useServices } from './hooks';

const PHASE = { loading: 'Loading images', preparing: 'Finding corrections', training: 'Training', saving: 'Saving' } as const;

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600 ? `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Seconds since the last progress event, so elapsed keeps counting through long validations. */
function useTicking(active: boolean, since: unknown): number {
  const [extra, setExtra] = useState(0);
  useEffect(() => {
    setExtra(0);
    if (!active) return;
    const t0 = performance.now();
    const timer = setInterval(() => setExtra((performance.now() - t0) / 1000), 1000);
    return () => clearInterval(timer);
  }, [active, since]);
  return extra;
}

function TrainingData() {
  const { controller } = useServices();
  const images = useEditorState((s) => s.images);
  const currentId = useEditorState((s) => s.currentId);
  const current = images.find((i) => i.id === currentId);
  const labelled = images.filter((i) => i.status === 'corrected');
  const reference = labelled.filter((i) => i.reference).length;
  const corrected = labelled.length - reference;
  return (
    <div className="training-data">
      <p className="muted" data-testid="retrain-data">
        Uses {corrected} corrected image{corrected === 1 ? '' : 's'}
        {reference ? ` and ${reference} reference image${reference === 1 ? '' : 's'}` : ''}.
        {corrected >= 3 ? ' The last one is held out to measure the change.' : ' With 3 or more, one is held out to measure the change.'}
      </p>
      {current && (
        <label className="check" title="Reference images keep the model from forgetting: mixed into training, not treated as corrections">
          <input
            type="checkbox"
            data-testid="reference-toggle"
            checked={current.reference}
            onChange={(e) => void controller.setReference(current.id, e.target.checked)}
          />
          This image is a reference
        </label>
      )}
    </div>
  );
}

function Outcome({ r }: { r: RetrainState }) {
  const { controller } = useServices();
  const o = r.outcome;
  if (o.state === 'running') return null;
  if (o.state === 'done') {
    const m = o.model;
    const kept = m.keptStep === 0 ? ' Training did not improve the held-out image, so it keeps its parent’s weights.' : '';
    return (
      <p className="outcome ok" data-testid="retrain-outcome" data-state="done">
        {m.name} saved and selected.
        {m.before && m.after ? ` Validation F1 ${m.before.f1.toFixed(3)} → ${m.after.f1.toFixed(3)} on ${m.validationImage}.` : ''}
        {kept}
      </p>
    );
  }
  return (
    <div className={`outcome ${o.reason === 'cancelled' ? 'info' : 'bad'}`} data-testid="retrain-outcome" data-state={o.reason}>
      <p>{o.message}</p>
      <button type="button" className="btn" data-testid="retry-retrain" onClick={() => void controller.models.startRetrain()}>
        {o.reason === 'cancelled' ? 'Start again' : 'Retry'}
      </button>
    </div>
  );
}

function Progress({ r }: { r: RetrainState }) {
  const { controller } = useServices();
  const p = r.progress;
  const running = r.outcome.state === 'running';
  const extra = useTicking(running, p);
  const step = p?.step ?? 0;
  const total = p?.total ?? r.run.steps;
  const pct = Math.round((100 * step) / total);
  const baseline = r.validation.find(([s]) => s === 0);
  return (
    <div
      className="retrain-progress"
      data-testid="retrain-progress"
      data-step={step}
      data-total={total}
      data-phase={p?.phase ?? 'loading'}
      data-state={r.outcome.state === 'failed' ? r.outcome.reason : r.outcome.state}
    >
      <div className="row-between">
        <strong>{running ? (p ? PHASE[p.phase] : 'Starting') : r.outcome.state === 'done' ? 'Finished' : 'Stopped'}</strong>
        <span className="step-count" data-testid="retrain-step">
          step {step} / {total}
        </span>
      </div>
      <div className="progress wide" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={step} title={p?.message}>
        <div className="bar" style={{ width: `${Math.max(2, pct)}%` }} />
        <span>{running ? (p?.message ?? 'Starting…') : `${pct}%`}</span>
      </div>
      <dl className="facts">
        <dt>Elapsed</dt>
        <dd data-testid="retrain-elapsed">{duration(p ? p.elapsedSeconds + extra : null)}</dd>
        <dt>ETA</dt>
        <dd data-testid="retrain-eta">{running && p?.etaSeconds != null ? duration(Math.max(0, p.etaSeconds - extra)) : '—'}</dd>
        <dt>Loss</dt>
        <dd>{p?.loss != null ? p.loss.toFixed(4) : '—'}</dd>
        <dt>Backend</dt>
        <dd title={p?.backend?.notes.join('\n')}>{p?.backend ? `${p.backend.name} · ${p.backend.device}` : '—'}</dd>
      </dl>
      <h3>Training loss</h3>
      <LineChart testId="loss-chart" points={r.loss} xMax={total} xLabel="step" yLabel="loss" colour="#3fb6ff" empty="waiting for the first step…" />
      <h3>Validation F1 {r.validation.length > 0 ? '(held-out image)' : ''}</h3>
      <LineChart
        testId="validation-chart"
        points={r.validation}
        xMax={total}
        xLabel="step"
        yLabel="F1"
        colour="#34c759"
        baseline={baseline ? { y: baseline[1], label: 'before' } : undefined}
        empty={r.run.images.length >= 3 ? 'scored every 25 steps…' : 'needs 3+ corrected images'}
      />
      <p className="muted small">
        {r.run.images.length} corrected{r.run.reference.length ? `, ${r.run.reference.length} reference` : ''} image(s), from {r.run.parent}
      </p>
      {running && (
        <button type="button" className="btn danger" data-testid="retrain-cancel" onClick={() => void controller.models.cancelRetrain()}>
          Cancel
        </button>
      )}
      <Outcome r={r} />
    </div>
  );
}

export function RetrainPanel() {
  const { editor } = useServices();
  const r = useEditorState((s) => s.retrain);
  return (
    <section className="retrain" aria-label="Retraining">
      <div className="row-between heading">
        <h2>Retraining</h2>
        {r && r.outcome.state !== 'running' && (
          <button type="button" className="link" aria-label="Hide the last run" onClick={() => editor.update({ retrain: null })}>
            hide
          </button>
        )}
      </div>
      <TrainingData />
      {r && <Progress r={r} />}
    </section>
  );
}
