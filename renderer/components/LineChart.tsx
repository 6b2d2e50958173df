/**
 * A small line chart in SVG (no chart library): axes with round-number ticks, axis titles, the series as
 * a line (and dots when sparse), an optional dashed reference line and an optional marked point. The x
 * axis spans 0..xMax so a run's curve grows from left to right as it trains. It scales to the width it
 * is given (the viewBox keeps its proportions), so it never makes its panel overflow.
 */

export interface LineChartProps {
  testId: string;
  points: readonly (readonly [number, number])[];
  xMax: number;
  xLabel: string;
  yLabel: string;
  /** Fixed y range; by default the data's range, padded. */
  yDomain?: [number, number];
  /** A horizontal dashed line (e.g. the score before training) with its label. */
  baseline?: { y: number; label: string };
  /** A point to mark (e.g. the step whose weights were kept) with its label. */
  marker?: { x: number; y: number; label: string };
  colour: string;
  width?: number;
  height?: number;
  /** Shown instead of the plot when there are no points. */
  empty: string;
}

const M = { left: 50, right: 14, top: 8, bottom: 30 };

/** Round tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(lo: number, hi: number, count = 4): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function format(v: number, span: number): string {
  if (span >= 100) return String(Math.round(v));
  const decimals = Math.max(0, Math.min(4, 1 - Math.floor(Math.log10(span || 1))));
  return v.toFixed(decimals);
}

function yRange(points: readonly (readonly [number, number])[], extra: (number | undefined)[]): [number, number] {
  const ys = points.map((p) => p[1]);
  for (const y of extra) if (y !== undefined) ys.push(y);
  let lo = Math.min(...ys);
  let hi = Math.max(...ys);
  if (hi - lo < 1e-6) {
    const pad = Math.max(Math.abs(hi) * 0.05, 0.01);
    lo -= pad;
    hi += pad;
  }
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

export function LineChart(p: LineChartProps) {
  const width = p.width ?? 264;
  const height = p.height ?? 128;
  const w = width - M.left - M.right;
  const h = height - M.top - M.bottom;
  const [y0, y1] = p.yDomain ?? (p.points.length ? yRange(p.points, [p.baseline?.y, p.marker?.y]) : [0, 1]);
  const xMax = Math.max(1, p.xMax);
  const sx = (x: number) => M.left + (Math.min(x, xMax) / xMax) * w;
  const sy = (y: number) => M.top + (1 - (y - y0) / (y1 - y0)) * h;
  const xTicks = niceTicks(0, xMax, 4);
  const yTicks = niceTicks(y0, y1, 4);
  const path = p.points.map(([x, y], i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
  const last = p.points.at(-1);
  return (
    <svg
      className="chart"
      data-testid={p.testId}
      data-points={p.points.length}
      data-baseline={p.baseline?.y}
      data-marker={p.marker ? `${p.marker.x},${p.marker.y}` : undefined}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${p.yLabel} by ${p.xLabel}${last ? `, last ${format(last[1], y1 - y0)} at ${last[0]}` : ''}`}
    >
      <rect x={M.left} y={M.top} width={w} height={h} className="plot-bg" />
      {yTicks.map((t) => (
        <g key={`y${t}`}>
          <line x1={M.left} x2={M.left + w} y1={sy(t)} y2={sy(t)} className="grid" />
          <text x={M.left - 5} y={sy(t)} className="tick" textAnchor="end" dominantBaseline="middle">
            {format(t, y1 - y0)}
          </text>
        </g>
      ))}
      {xTicks.map((t, i) => (
        // The last tick ends at the plot's edge rather than spilling past it ("300" must not read "30").
        <text key={`x${t}`} x={sx(t)} y={M.top + h + 12} className="tick" textAnchor={i === xTicks.length - 1 && i > 0 ? 'end' : 'middle'}>
          {t}
        </text>
      ))}
      <line x1={M.left} x2={M.left + w} y1={M.top + h} y2={M.top + h} className="axis" />
      <line x1={M.left} x2={M.left} y1={M.top} y2={M.top + h} className="axis" />
      <text x={M.left + w / 2} y={height - 3} className="axis-title" textAnchor="middle">
        {p.xLabel}
      </text>
      <text x={10} y={M.top + h / 2} className="axis-title" textAnchor="middle" transform={`rotate(-90 10 ${M.top + h / 2})`}>
        {p.yLabel}
      </text>
      {p.baseline && (
        <g>
          <line x1={M.left} x2={M.left + w} y1={sy(p.baseline.y)} y2={sy(p.baseline.y)} className="baseline" />
          <text x={M.left + w - 3} y={sy(p.baseline.y) - 3} className="tick baseline-label" textAnchor="end">
            {p.baseline.label}
          </text>
        </g>
      )}
      {p.marker && (
        <g data-testid={`${p.testId}-marker`}>
          <circle cx={sx(p.marker.x)} cy={sy(p.marker.y)} r={4.5} fill="none" stroke="#fff" strokeWidth={1.5} />
          <text
            x={sx(p.marker.x) + (sx(p.marker.x) > M.left + w / 2 ? -7 : 7)}
            y={sy(p.marker.y) + 12}
            className="tick marker-label"
            textAnchor={sx(p.marker.x) > M.left + w / 2 ? 'end' : 'start'}
          >
            {p.marker.label}
          </text>
        </g>
      )}
      {p.points.length > 0 ? (
        <>
          <path d={path} fill="none" stroke={p.colour} strokeWidth={1.6} strokeLinejoin="round" />
          {p.points.length <= 40 && p.points.map(([x, y]) => <circle key={x} cx={sx(x)} cy={sy(y)} r={2.4} fill={p.colour} />)}
        </>
      ) : (
        <text x={M.left + w / 2} y={M.top + h / 2} className="tick" textAnchor="middle" dominantBaseline="middle">
          {p.empty}
        </text>
      )}
    </svg>
  );
}
