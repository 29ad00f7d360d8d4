// REST adapter for inventory snapshots: /api/inventory, and /api/container-inventory (the older API's
// path, kept as an alias of the latest snapshot).
import { Elysia } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import * as inventory from '../../service/inventory.ts';
import { fromQueryString, IdParams } from '../params.ts';
import * as v from '../../service/view-schemas.ts';

export function inventoryRoutes(deps: AppDeps) {
  return new Elysia()
    .post(
      '/inventory/snapshots',
      async ({ set }) => {
        set.status = 201;
        return inventory.takeSnapshot(deps);
      },
      {
        response: { 201: v.TakenSnapshot },
        detail: {
          summary: 'Take a snapshot of the Docker host now (also follows recreated allowlisted containers)',
          tags: ['inventory'],
        },
      },
    )
    .get('/inventory/snapshots', ({ query }) => inventory.listSnapshots(deps, query), {
      query: fromQueryString(inventory.SnapshotPage),
      response: { 200: v.SnapshotPage },
      detail: { summary: 'Snapshots, newest first; keyset pages (before=<id>)', tags: ['inventory'] },
    })
    .get('/inventory/snapshots/:id', ({ params }) => inventory.getSnapshot(deps, params.id), {
      params: IdParams,
      response: { 200: v.SnapshotView },
      detail: { summary: 'A snapshot with its containers', tags: ['inventory'] },
    })
    .get('/inventory/diff', ({ query }) => inventory.diffSnapshots(deps, query), {
      query: fromQueryString(inventory.DiffQuery),
      response: { 200: v.DiffView },
      detail: { summary: 'What changed between two snapshots (default: the latest two)', tags: ['inventory'] },
    })
    .get('/container-inventory', () => inventory.latestInventory(deps), {
      response: { 200: v.SnapshotView },
      detail: { summary: 'The latest snapshot (alias kept from the older API)', tags: ['inventory'] },
    });
}
