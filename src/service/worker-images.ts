// The worker-image allowlist as the gateway's worker policy (what may be started), the record of every
// start, and the use cases to list and change the allowlist.
import { Type, type Static } from '@sinclair/typebox';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { WorkerImagePolicy } from '../docker/worker-types.ts';
import * as store from '../store/worker-images.ts';
import { assertValid } from './validate.ts';

export function workerImagePolicy(ctx: { db: Database; clock: Clock }): WorkerImagePolicy {
  return {
    async decide(ref) {
      const row = await store.findWorkerImage(ctx.db.sql, ref.image, ref.tag);
      if (!row) return { allowed: false, reason: 'not_listed' };
      if (!row.active) return { allowed: false, reason: 'inactive' };
      return { allowed: true, requiresGpu: row.requires_gpu };
    },
    async recordStart(s) {
      const row = await store.insertWorkerStart(ctx.db.sql, {
        jobId: s.jobId,
        image: s.ref.image,
        tag: s.ref.tag,
        deviceRequest: s.deviceRequest,
        at: ctx.clock.now(),
      });
      return row.id;
    },
    async recordFinish(id, f) {
      await store.finishWorkerStart(ctx.db.sql, id, {
        at: ctx.clock.now(),
        exitCode: f.exitCode,
        durationMs: f.durationMs,
        outcome: f.outcome,
        reason: f.reason,
      });
    },
  };
}

/** A worker image as the API shows it: the stored row, dates as ISO strings. */
export type WorkerImageView = Omit<store.WorkerImageRow, 'created_at' | 'updated_at'> & {
  created_at: string;
  updated_at: string;
};

// Field by field, not a spread of the row: a column added later must not change the API's answer.
const view = (r: store.WorkerImageRow): WorkerImageView => ({
  id: r.id,
  image: r.image,
  tag: r.tag,
  requires_gpu: r.requires_gpu,
  active: r.active,
  description: r.description,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

export const PutWorkerImageInput = Type.Object(
  {
    // Docker's reference grammar, lowercase repository path with an optional registry host:port.
    image: Type.String({
      pattern: '^[a-z0-9][a-z0-9._-]*(:[0-9]{1,5})?(/[a-z0-9][a-z0-9._-]*)*$',
      maxLength: 255,
      description: 'repository, e.g. nvidia/cuda',
    }),
    tag: Type.String({
      pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
      description: 'tag, e.g. 12.4.1-base-ubuntu22.04',
    }),
    requires_gpu: Type.Boolean({ description: 'start it with an NVIDIA device request' }),
    active: Type.Boolean({ description: 'false: listed but refused' }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type PutWorkerImageInput = Static<typeof PutWorkerImageInput>;

export async function listWorkerImages(db: Database): Promise<WorkerImageView[]> {
  return (await store.listWorkerImages(db.sql)).map(view);
}

/** Adds an image to the worker-image allowlist, or changes its entry (keyed by image and tag). */
export async function putWorkerImage(
  ctx: { db: Database; clock: Clock },
  raw: PutWorkerImageInput,
): Promise<WorkerImageView> {
  const e = assertValid(PutWorkerImageInput, raw, 'worker image');
  const row = await store.upsertWorkerImage(ctx.db.sql, {
    image: e.image,
    tag: e.tag,
    requiresGpu: e.requires_gpu,
    active: e.active,
    description: e.description ?? '',
    at: ctx.clock.now(),
  });
  return view(row);
}
