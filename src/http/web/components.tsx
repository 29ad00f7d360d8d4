// Small pieces shared by the pages.
import type { Children } from '@kitajs/html';

export function StatusBadge(props: { status: string; runId?: number; jobId?: number }): JSX.Element {
  return (
    <span
      class={`badge status-${props.status}`}
      data-status={props.status}
      data-run-status={props.runId === undefined ? undefined : String(props.runId)}
      data-job-status={props.jobId === undefined ? undefined : String(props.jobId)}
      safe
    >
      {props.status.replaceAll('_', ' ')}
    </span>
  );
}

/** A moment, machine-readable in the attribute and short in the text (UTC). */
export function When(props: { at: string | null | undefined; empty?: string }): JSX.Element {
  if (!props.at)
    return (
      <span class="muted" safe>
        {props.empty ?? '—'}
      </span>
    );
  return (
    <time datetime={props.at} title={props.at} safe>
      {props.at.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC')}
    </time>
  );
}

export function Duration(props: { ms: number | null }): JSX.Element {
  if (props.ms === null) return <span class="muted">—</span>;
  const s = props.ms / 1000;
  const text = s < 1 ? `${props.ms} ms` : s < 120 ? `${s.toFixed(1)} s` : `${Math.round(s / 60)} min`;
  return <span safe>{text}</span>;
}

export function Empty(props: { children?: Children }): JSX.Element {
  return <p class="muted">{props.children}</p>;
}

/** "1 error", "2 errors": a count with its noun in the right number. */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** Query string from the entries that have a value. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Docker's short form of a container or image id. */
export const shortId = (id: string) => id.slice(0, 12);
