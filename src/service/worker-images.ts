// The worker-image allowlist as the gateway's worker policy (what may be started), the record of every
// start, and the use cases to list and change the allowlist.
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { WorkerImagePolicy } from '../docker/worker-types.ts';
import * as store from '../store/worker-images.ts';

export function workerImagePolicy(ctx: { db: Database; clock: Clock }): WorkerImagePolicy {
  return {
    async decide(ref) {
      const row = await store.findWorkerImage(ctx.db.sql, ref.image, ref.tag);
      if (!row) return { allowed: false, reason: 'not_listed' };
      if (!row.active) return { allowed: false, reason: 'inactive' };
      return { allowed: true, requiresGpu: row.requires_gpu };
    },
    async recordStart(s) {
      const row = await store.insertWorkerStart(ctx.db.sql, { jobId: s.jobId, image: s.ref.image, tag: s.ref.tag, deviceRequest: s.deviceRequest, at: ctx.clock.now() });
      return row.id;
    },
    async recordFinish(id, f) {
      await store.finishWorkerStart(ctx.db.sql, id, { at: ctx.clock.now(), exitCode: f.exitCode, durationMs: f.durationMs, outcome: f.outcome, reason: f.reason });
    },
  };
}

export function listWorkerImages(db: Database): Promise<store.WorkerImageRow[]> {
  return store.listWorkerImages(db.sql);
}

export function putWorkerImage(
  ctx: { db: Database; clock: Clock },
  e: { image: string; tag: string; requires_gpu: boolean; active: boolean; description?: string },
): Promise<store.WorkerImageRow> {
  return store.upsertWorkerImage(ctx.db.sql, { image: e.image, tag: e.tag, requiresGpu: e.requires_gpu, active: e.active, description: e.description ?? '', at: ctx.clock.now() });
}
