// Log triage windows, read: which lines each job covered per container (counts only), and where each
// container's next window starts. Shared by REST (and later MCP and the web UI).
import { Type, type Static } from '@sinclair/typebox';
import * as store from '../store/triage.ts';
import type { Database } from '../db/database.ts';
import { Id } from './schemas.ts';

export const WindowsQuery = Type.Object(
  {
    container: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$', description: 'container name' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    before: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type WindowsQuery = Static<typeof WindowsQuery>;

export interface WindowView {
  id: number;
  job_id: number;
  run_id: number;
  container: string;
  container_id: string;
  since: string;
  until: string;
  lines: number;
  triaged_lines: number;
  bytes: number;
  truncated: boolean;
  templates: number;
  errors: number;
  warnings: number;
  new_templates: number;
  /** Docker's restart count of the container at the end of the window (null when not read). */
  restart_count: number | null;
  status: store.WindowStatus;
  error_code: string | null;
  /** True when this window counts as covered: its container was read and its job succeeded. */
  successful: boolean;
}

const view = (r: store.WindowListRow): WindowView => ({
  id: r.id,
  job_id: r.job_id,
  run_id: r.run_id,
  container: r.container_name,
  container_id: r.container_id,
  since: r.since.toISOString(),
  until: r.until.toISOString(),
  lines: r.lines,
  triaged_lines: r.triaged_lines,
  bytes: r.bytes,
  truncated: r.truncated,
  templates: r.templates,
  errors: r.errors,
  warnings: r.warnings,
  new_templates: r.new_templates,
  restart_count: r.restart_count,
  status: r.status,
  error_code: r.error_code,
  successful: r.status === 'ok' && r.job_status === 'success',
});

export async function listTriageWindows(
  ctx: { db: Database },
  q: WindowsQuery,
): Promise<{ items: WindowView[]; next_before: number | null }> {
  const limit = q.limit ?? 50;
  const rows = await store.listWindows(ctx.db.sql, { container: q.container, before: q.before }, limit + 1);
  const items = rows.slice(0, limit).map(view);
  return { items, next_before: rows.length > limit ? items[items.length - 1]!.id : null };
}

export async function nextTriageWindows(ctx: {
  db: Database;
}): Promise<{ container: string; since: string; after_job_id: number; after_run_id: number }[]> {
  const rows = await store.nextWindowStarts(ctx.db.sql);
  return rows.map((r) => ({
    container: r.container_name,
    since: r.until.toISOString(),
    after_job_id: r.job_id,
    after_run_id: r.run_id,
  }));
}
