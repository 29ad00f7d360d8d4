// SQL for artifact records.
import type { Sql } from 'postgres';

export interface ArtifactRow {
  id: number;
  run_id: number;
  job_id: number | null;
  path: string;
  kind: string;
  mime_type: string;
  bytes: number;
  sha256: string;
  created_at: Date;
}

/** Records a written file; writing the same path again replaces the record. */
export async function upsertArtifact(sql: Sql, a: Omit<ArtifactRow, 'id' | 'created_at'>): Promise<ArtifactRow> {
  const [row] = await sql<ArtifactRow[]>`
    insert into artifacts (run_id, job_id, path, kind, mime_type, bytes, sha256)
    values (${a.run_id}, ${a.job_id}, ${a.path}, ${a.kind}, ${a.mime_type}, ${a.bytes}, ${a.sha256})
    on conflict (run_id, path) do update set
      job_id = excluded.job_id, kind = excluded.kind, mime_type = excluded.mime_type,
      bytes = excluded.bytes, sha256 = excluded.sha256, created_at = now()
    returning *`;
  return row!;
}

export async function listArtifactsOfRun(sql: Sql, runId: number): Promise<ArtifactRow[]> {
  return sql<ArtifactRow[]>`select * from artifacts where run_id = ${runId} order by id`;
}

export async function findArtifact(sql: Sql, id: number): Promise<ArtifactRow | undefined> {
  const [row] = await sql<ArtifactRow[]>`select * from artifacts where id = ${id}`;
  return row;
}

/**
 * The artifact `path` written by the newest successful jobs of `task`, newest first (a run that ended
 * "partial" still counts when this task's job succeeded). Served by jobs_task_success_idx and the
 * artifacts (run_id, path) key.
 */
export async function listTaskArtifacts(sql: Sql, task: string, path: string, limit: number): Promise<ArtifactRow[]> {
  return sql<ArtifactRow[]>`
    select a.* from jobs j
    join artifacts a on a.run_id = j.run_id and a.job_id = j.id and a.path = ${path}
    where j.task = ${task} and j.status = 'success'
    order by j.finished_at desc, j.id desc
    limit ${limit}`;
}
