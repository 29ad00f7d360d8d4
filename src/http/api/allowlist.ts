// REST adapter for the container allowlist: /api/allowlist.
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import * as allowlist from '../../service/allowlist.ts';
import * as v from '../../service/view-schemas.ts';

const KeyParams = t.Object({ containerId: allowlist.AllowlistKey });

export function allowlistRoutes(deps: AppDeps) {
  return new Elysia({ prefix: '/allowlist' })
    .get('/', () => allowlist.listAllowlist(deps), {
      response: { 200: t.Array(v.AllowlistEntryView) },
      detail: { summary: 'The containers Cyber-Brain may look inside', tags: ['allowlist'] },
    })
    .post(
      '/',
      async ({ body, set }) => {
        set.status = 201;
        return allowlist.addToAllowlist(deps, body);
      },
      {
        body: allowlist.AddToAllowlistInput,
        response: { 201: v.AllowlistEntryView },
        parse: 'application/json',
        detail: {
          summary: 'Allow a container (by id, id prefix or name); 409 if it is labelled cyberbrain.allow=false',
          tags: ['allowlist'],
        },
      },
    )
    .get('/:containerId', ({ params }) => allowlist.getAllowlistEntry(deps, params.containerId), {
      params: KeyParams,
      response: { 200: v.AllowlistEntryWithHistory },
      detail: { summary: 'An allowlist entry with its history', tags: ['allowlist'] },
    })
    .patch('/:containerId', ({ params, body }) => allowlist.updateAllowlistEntry(deps, params.containerId, body), {
      params: KeyParams,
      body: allowlist.UpdateAllowlistInput,
      response: { 200: v.AllowlistEntryView },
      parse: 'application/json',
      detail: { summary: 'Enable or disable an entry, edit its description, tags or follow', tags: ['allowlist'] },
    })
    .delete('/:containerId', ({ params }) => allowlist.removeFromAllowlist(deps, params.containerId), {
      params: KeyParams,
      response: { 200: v.AllowlistEntryView },
      detail: { summary: 'Remove a container from the allowlist (returns the removed entry)', tags: ['allowlist'] },
    });
}
