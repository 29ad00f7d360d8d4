// Charts drawn on the server as inline SVG: no script, no external asset, readable without JavaScript.

export interface Bar {
  label: string;
  value: number;
  /** Shown on hover and to screen readers; defaults to "label: value". */
  title?: string;
  hot?: boolean;
  /** This bar's unit, where the bars of one chart measure different things (RowChart). */
  unit?: string;
}

/** Vertical bars with the labels under them; the picture has a text title for assistive technology. */
export function ColumnChart(props: { title: string; bars: Bar[]; height?: number; unit?: string }): JSX.Element {
  const height = props.height ?? 120;
  const barWidth = 22;
  const gap = 8;
  const top = 14;
  const bottom = 28;
  const width = Math.max(1, props.bars.length) * (barWidth + gap) + gap;
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const plot = height - top - bottom;
  return (
    <svg class="chart" role="img" viewBox={`0 0 ${width} ${height}`} width={String(width)} height={String(height)}>
      <title safe>{props.title}</title>
      <line class="axis" x1="0" x2={String(width)} y1={String(height - bottom)} y2={String(height - bottom)} />
      {props.bars.map((b, i) => {
        const h = Math.round((b.value / max) * plot);
        const x = gap + i * (barWidth + gap);
        const y = height - bottom - h;
        return (
          <g>
            <rect
              class={b.hot ? 'bar hot' : 'bar'}
              x={String(x)}
              y={String(y)}
              width={String(barWidth)}
              height={String(Math.max(h, b.value > 0 ? 1 : 0))}
            >
              <title safe>{b.title ?? `${b.label}: ${b.value}${props.unit ?? ''}`}</title>
            </rect>
            {b.value > 0 ? (
              <text x={String(x + barWidth / 2)} y={String(y - 3)} text-anchor="middle" safe>
                {compact(b.value)}
              </text>
            ) : (
              ''
            )}
            <text x={String(x + barWidth / 2)} y={String(height - bottom + 14)} text-anchor="middle" safe>
              {b.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Horizontal bars, one row per item, for shares of a whole (percentages and the like). */
export function RowChart(props: { title: string; bars: Bar[]; max?: number; unit?: string }): JSX.Element {
  const rowHeight = 22;
  const labelWidth = 180;
  const plotWidth = 320;
  const width = labelWidth + plotWidth + 70;
  const height = Math.max(1, props.bars.length) * rowHeight + 4;
  const max = props.max ?? Math.max(1, ...props.bars.map((b) => b.value));
  return (
    <svg class="chart" role="img" viewBox={`0 0 ${width} ${height}`} width={String(width)} height={String(height)}>
      <title safe>{props.title}</title>
      {props.bars.map((b, i) => {
        const y = i * rowHeight + 2;
        const w = Math.round((Math.min(b.value, max) / max) * plotWidth);
        return (
          <g>
            <text x={String(labelWidth - 6)} y={String(y + 14)} text-anchor="end" safe>
              {b.label.length > 28 ? `${b.label.slice(0, 27)}…` : b.label}
            </text>
            <rect
              class={b.hot ? 'bar hot' : 'bar'}
              x={String(labelWidth)}
              y={String(y + 3)}
              width={String(Math.max(w, b.value > 0 ? 1 : 0))}
              height="14"
            >
              <title safe>{b.title ?? `${b.label}: ${b.value}${b.unit ?? props.unit ?? ''}`}</title>
            </rect>
            <text x={String(labelWidth + w + 6)} y={String(y + 14)} safe>
              {`${compact(b.value)}${b.unit ?? props.unit ?? ''}`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function compact(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
