/**
 * The retraining section of the side panel: what a run will use (edited, reviewed, reference and
 * excluded images, what is held out, how long it should take), with the open image's switches; then the
 * run itself: phase, step/total, live loss and held-out F1 charts, elapsed/ETA and backend, Cancel while
 * it runs, and how it ended (which version is in use and why; Retry after a failure). The held-out
 * numbers are main's, formatted once (heldOut.ts), so chart, outcome, card and toast agree.
 */
import { useEffect, useState } from 'react';
import type { RetrainState } from '../../preload/contract';
import { heldOutNumbers } from './heldOut';
import { LineChart } from './LineChart';
import { useEditorState, useServices } from './hooks';

const PHASE = { loading: 'Loading images', preparing: 'Predicting the corrections', training: 'Training', saving: 'Saving' } as const;

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600
    ? `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
    : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
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

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function TrainingData() {
  const { controller } = useServices();
  const images = useEditorState((s) => s.images);
  const currentId = useEditorState((s) => s.currentId);
  const estimate = useEditorState((s) => s.retrainEstimate);
  const current = images.find((i) => i.id === currentId);
  const labelled = images.filter((i) => (i.status === 'edited' || i.status === 'reviewed') && !i.excluded);
  const reference = labelled.filter((i) => i.reference).length;
  const corrections = labelled.filter((i) => !i.reference);
  const reviewed = corrections.filter((i) => i.status === 'reviewed').length;
  const excluded = images.filter((i) => i.excluded).length;
  return (
    <div className="training-data">
      <p className="muted" data-testid="retrain-data">
        Uses {plural(corrections.length, 'corrected image')} ({reviewed} reviewed, {corrections.length - reviewed} edited)
        {reference ? ` and ${plural(reference, 'reference image')}` : ''}.
        {corrections.length >= 3
          ? ' One is held out to measure the change: a reviewed one, else the most edited.'
          : ' A quarter of each is held out to measure the change.'}
        {excluded ? ` ${plural(excluded, 'image')} excluded.` : ''}
      </p>
      {estimate && (
        <p className="muted small" data-testid="retrain-estimate">
          {estimate.steps} steps,{' '}
          {estimate.seconds !== null
            ? `about ${duration(estimate.seconds)} (the last run's pace)`
            : 'time shown once it runs (no run here yet to go by)'}
          .
        </p>
      )}
      {current && (
        <div className="image-switches">
          <label className="check">
            <input
              type="checkbox"
              data-testid="reference-toggle"
              checked={current.reference}
              onChange={(e) => void controller.setReference(current.id, e.target.checked)}
            />
            Reference image
          </label>
          <p className="hint" data-testid="reference-help">
            A complete, trusted label (e.g. from the model’s original training set): mixed into retraining so the model does not forget, not
            counted as a correction.
          </p>
          <label className="check">
            <input
              type="checkbox"
              data-testid="exclude-toggle"
              checked={current.excluded}
              onChange={(e) => void controller.setExcluded(current.id, e.target.checked)}
            />
            Leave out of retraining <kbd>X</kbd>
          </label>
        </div>
      )}
    </div>
  );
}

function Outcome({ r }: { r: RetrainState }) {
  const { controller } = useServices();
  const o = r.outcome;
  if (o.state === 'running') return null;
  if (o.state === 'done') {
    return (
      <p className={`outcome ${o.selected ? 'ok' : 'info'}`} data-testid="retrain-outcome" data-state="done" data-selected={o.selected}>
        {o.message}
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

/**
 * What the remaining-time field says: the steps left at the current pace, then what follows them (the
 * last scoring, saving) in words rather than a "0:00" that stands still.
 */
export function remaining(r: RetrainState, extra: number): string {
  const p = r.progress;
  if (r.outcome.state !== 'running' || !p) return '—';
  if (p.phase === 'saving') return 'saving…';
  if (p.phase !== 'training' || p.etaSeconds === null) return '—';
  const left = p.etaSeconds - extra;
  return left >= 1 ? duration(left) : 'scoring the last steps…';
}

/** How far the bar is: a run that stopped early is finished, so full (its text says where it stopped). */
export function percentDone(r: RetrainState): number {
  if (r.outcome.state === 'done') return 100;
  return Math.round((100 * (r.progress?.step ?? 0)) / (r.progress?.total ?? r.run.steps));
}

function Progress({ r }: { r: RetrainState }) {
  const { controller } = useServices();
  const p = r.progress;
  const running = r.outcome.state === 'running';
  const extra = useTicking(running, p);
  const step = p?.step ?? 0;
  const total = p?.total ?? r.run.steps;
  const done = r.outcome.state === 'done';
  const pct = percentDone(r);
  const baseline = r.validation.find(([s]) => s === 0);
  const model = r.outcome.state === 'done' ? r.outcome.model : null;
  const kept = model?.validation && model.keptStep !== null ? { x: model.keptStep, y: model.validation.after.f1 } : undefined;
  const status = running
    ? p
      ? PHASE[p.phase]
      : 'Starting'
    : done
      ? model?.stoppedEarly
        ? `Finished: stopped early at step ${step} of ${total}`
        : 'Finished'
      : 'Stopped';
  return (
    <div
      className="retrain-progress"
      data-testid="retrain-progress"
      data-step={step}
      data-total={total}
      data-phase={p?.phase ?? 'loading'}
      data-state={r.outcome.state === 'failed' ? r.outcome.reason : r.outcome.state}
    >
      <div className="row-between wrap">
        <strong data-testid="retrain-status">{status}</strong>
        <span className="step-count" data-testid="retrain-step">
          step {step} / {total}
        </span>
      </div>
      <div className="progress wide" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="bar" style={{ width: `${Math.max(2, pct)}%` }} />
        <span>{pct}%</span>
      </div>
      {running && p?.message && (
        <p className="progress-message" data-testid="retrain-message">
          {p.message}
        </p>
      )}
      <dl className="facts">
        <dt>Elapsed</dt>
        <dd data-testid="retrain-elapsed">{duration(p ? p.elapsedSeconds + (running ? extra : 0) : null)}</dd>
        <dt>Remaining</dt>
        <dd data-testid="retrain-eta">{remaining(r, extra)}</dd>
        <dt>Loss</dt>
        <dd>{p?.loss != null ? p.loss.toFixed(4) : '—'}</dd>
        <dt>Backend</dt>
        <dd title={p?.backend?.notes.join('\n')}>{p?.backend ? `${p.backend.name} · ${p.backend.device}` : '—'}</dd>
      </dl>
      <h3>Training loss</h3>
      <LineChart
        testId="loss-chart"
        points={r.loss}
        xMax={total}
        xLabel="step"
        yLabel="loss"
        colour="#3fb6ff"
        empty="waiting for the first step…"
      />
      <h3>Held-out F1 (each model at its own threshold)</h3>
      <LineChart
        testId="validation-chart"
        points={r.validation}
        xMax={total}
        xLabel="step"
        yLabel="F1"
        colour="#34c759"
        baseline={baseline ? { y: baseline[1], label: `before ${baseline[1].toFixed(3)}` } : undefined}
        marker={kept ? { ...kept, label: `kept ${kept.y.toFixed(3)}` } : undefined}
        empty="scored before training, then every 50 steps…"
      />
      {model?.validation && (
        <p className="muted small" data-testid="retrain-heldout">
          {heldOutNumbers(model.validation)}
        </p>
      )}
      <p className="muted small">
        {r.run.images.length} corrected{r.run.reference.length ? `, ${r.run.reference.length} reference` : ''} image(s), from {r.run.parent}
        {r.run.estimateSeconds !== null ? `; estimated ${duration(r.run.estimateSeconds)}` : ''}
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
