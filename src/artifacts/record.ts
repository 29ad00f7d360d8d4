// Writing an artifact = the atomic file write + its database record + an event.
import type { Database } from '../db/database.ts';
import type { EventBus } from '../events/bus.ts';
import { upsertArtifact, type ArtifactRow } from '../store/artifacts.ts';
import { writeArtifactFile } from './files.ts';
import type { ArtifactView } from './view.ts';

/** Field by field, not a spread of the row: a column added later must not change the API's answer. */
export function artifactView(row: ArtifactRow): ArtifactView {
  return {
    id: row.id,
    run_id: row.run_id,
    job_id: row.job_id,
    path: row.path,
    kind: row.kind,
    mime_type: row.mime_type,
    bytes: row.bytes,
    sha256: row.sha256,
    created_at: row.created_at.toISOString(),
  };
}

export async function recordArtifact(
  deps: { db: Database; events: EventBus; logsDir: string },
  target: { runId: number; jobId: number | null },
  path: string,
  content: string | Uint8Array,
  meta: { kind: string; mimeType: string },
): Promise<ArtifactView> {
  const file = writeArtifactFile(deps.logsDir, target.runId, path, content);
  const row = await upsertArtifact(deps.db.sql, {
    run_id: target.runId,
    job_id: target.jobId,
    path,
    kind: meta.kind,
    mime_type: meta.mimeType,
    bytes: file.bytes,
    sha256: file.sha256,
  });
  const view = artifactView(row);
  deps.events.publish('artifact.written', {
    run_id: view.run_id,
    job_id: view.job_id,
    artifact_id: view.id,
    path,
    bytes: view.bytes,
    mime_type: view.mime_type,
    sha256: view.sha256,
  });
  return view;
}
