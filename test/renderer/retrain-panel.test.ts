import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as React from 'react';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { RetrainProgress, RetrainState } from '../../preload/contract';
import { LineChart } from '../../renderer/components/LineChart';
import { percentDone, remaining } from '../../renderer/components/RetrainPanel';

// tsx compiles the components' TSX with the classic runtime here (React.createElement).
(globalThis as { React?: typeof React }).React = React;

const run = { job: 'j', parent: 'default', images: ['a'], reference: [], steps: 300, startedAt: '', estimateSeconds: null };
const progress = (p: Partial<RetrainProgress>): RetrainProgress => ({
  job: 'j',
  phase: 'training',
  step: 100,
  total: 300,
  loss: 0.3,
  learningRate: 1e-4,
  elapsedSeconds: 20,
  etaSeconds: 40,
  backend: null,
  message: '',
  ...p,
});
const state = (p: Partial<RetrainProgress>, outcome: RetrainState['outcome'] = { state: 'running' }): RetrainState => ({
  run,
  progress: progress(p),
  loss: [],
  validation: [],
  outcome,
});

test('the remaining time counts down the steps, then says what follows instead of standing at 0:00', () => {
  assert.equal(remaining(state({ etaSeconds: 40 }), 0), '0:40');
  assert.equal(remaining(state({ etaSeconds: 40 }), 15), '0:25', 'seconds since the last event count');
  assert.equal(remaining(state({ etaSeconds: 40 }), 47), 'scoring the last steps…');
  assert.equal(remaining(state({ step: 300, etaSeconds: 0 }), 0), 'scoring the last steps…');
  assert.equal(remaining(state({ phase: 'saving' }), 0), 'saving…');
  assert.equal(remaining(state({ phase: 'preparing', etaSeconds: null }), 0), '—');
});

test('a run that stopped early is finished: the bar is full', () => {
  assert.equal(percentDone(state({ step: 100 })), 33);
  const model = { id: 'v2' } as never;
  assert.equal(percentDone(state({ step: 100 }, { state: 'done', model, selected: false, message: '' })), 100);
});

test('the chart scales to its panel and its last x tick ends inside the plot ("300", not "30")', () => {
  const svg = renderToStaticMarkup(
    createElement(LineChart, {
      testId: 'c',
      points: [
        [0, 0.5],
        [300, 0.6],
      ],
      xMax: 300,
      xLabel: 'step',
      yLabel: 'F1',
      colour: '#fff',
      empty: '',
      marker: { x: 300, y: 0.6, label: 'kept 0.600' },
    }),
  );
  assert.doesNotMatch(svg.slice(0, svg.indexOf('>')), / width=/, 'no fixed pixel width on the svg: CSS makes it 100% of the panel');
  assert.match(svg, /viewBox="0 0 264 128"/);
  const ticks = [...svg.matchAll(/<text[^>]*text-anchor="(\w+)"[^>]*>(\d+)<\/text>/g)].map((m) => [m[2], m[1]]);
  assert.deepEqual(ticks.at(-1), ['300', 'end']);
  assert.match(svg, /data-marker="300,0.6"/);
  assert.match(svg, />kept 0.600</);
});
