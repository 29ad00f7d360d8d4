// Directives: the list (active, or all), the create form, and one directive with its edit form (every
// content change saves a new version), its version history and a line diff between two versions.
// Built-in directives are read-only here (only switched on or off).
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../../app-deps.ts';
import * as directives from '../../../service/directives.ts';
import { MAX_DIRECTIVE_CHARS } from '../../../service/schemas.ts';
import { AppError } from '../../../errors.ts';
import { IdParams } from '../../params.ts';
import { Empty, query, When } from '../components.tsx';
import { csrfField, intOf } from '../form.ts';
import { can, htmlResponse, Layout, seeOther } from '../page.tsx';
import { viewerOf } from '../viewer.ts';
import { ActiveForm, CreateForm, EditForm } from './directives/forms.tsx';
import { VersionDiff } from './directives/version-diff.tsx';

const Level = t.Union([t.Literal('D1'), t.Literal('D2'), t.Literal('D3'), t.Literal('D4')]);
/** A checkbox: present (its value) when ticked, absent when not. */
const Checkbox = t.Optional(t.Literal('true'));

/** Browsers send textarea lines with CRLF; the directive keeps plain newlines. */
const plainNewlines = (text: string) => text.replace(/\r\n?/g, '\n');

export function directivesPages(deps: AppDeps) {
  const ctx = { db: deps.db };
  return new Elysia()
    .get(
      '/directives',
      async (c) => {
        const viewer = viewerOf(c, deps.config);
        const showInactive = c.query.inactive === 'true' || c.query.inactive === '1' || c.query.inactive === 'on';
        const list = await directives.listDirectives(ctx, showInactive);
        return htmlResponse(
          <Layout title="Directives" active="/directives" viewer={viewer}>
            <h1>Directives</h1>
            <p class="muted">
              Standing instructions put into the model's prompt. Every change to one is kept as a new version; a run
              keeps a snapshot of the version it used.
            </p>
            <form method="get" action="/directives" class="filters" aria-label="Which directives">
              <label>
                <input type="checkbox" name="inactive" value="true" checked={showInactive} /> Show inactive directives
                too
              </label>
              <button type="submit" class="secondary">
                Show
              </button>
            </form>
            {list.length === 0 ? (
              <Empty>No directives.</Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Title</th>
                    <th scope="col">Level</th>
                    <th scope="col" class="num">
                      Version
                    </th>
                    <th scope="col">Approval</th>
                    <th scope="col">Kind</th>
                    <th scope="col">State</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((d) => (
                    <tr data-directive-id={String(d.id)}>
                      <td>
                        <a href={`/directives/${d.id}`} safe>
                          {d.name}
                        </a>
                      </td>
                      <td safe>{d.title}</td>
                      <td>{d.level}</td>
                      <td class="num" safe>{`v${d.version}`}</td>
                      <td>{d.approval_required ? 'needs approval' : '—'}</td>
                      <td>{d.is_builtin ? 'built-in' : 'own'}</td>
                      <td>{d.active ? <span class="ok">active</span> : <span class="muted">inactive</span>}</td>
                      <td>
                        <When at={d.updated_at} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {can(viewer, 'operate') ? (
              <>
                <h2>New directive</h2>
                <CreateForm viewer={viewer} />
              </>
            ) : (
              ''
            )}
          </Layout>,
        );
      },
      {
        query: t.Object({ inactive: t.Optional(t.String({ maxLength: 10 })) }),
        detail: { summary: 'Web UI: directives, with the create form', tags: ['web'] },
      },
    )
    .post(
      '/directives',
      async ({ body }) => {
        const created = await directives.createDirective(ctx, {
          name: body.name.trim(),
          title: body.title,
          level: body.level,
          body: plainNewlines(body.body),
          approval_required: body.approval_required === 'true',
        });
        return seeOther(`/directives/${created.id}`);
      },
      {
        parse: 'urlencoded',
        body: t.Object({
          ...csrfField,
          name: t.String({ maxLength: 100 }),
          title: t.String({ maxLength: 400 }),
          level: Level,
          body: t.String({ maxLength: MAX_DIRECTIVE_CHARS * 2 }),
          approval_required: Checkbox,
        }),
        detail: { summary: 'Web UI: create a directive from the form (then shows it)', tags: ['web'] },
      },
    )
    .get(
      '/directives/:id',
      async (c) => {
        const viewer = viewerOf(c, deps.config);
        const d = await directives.getDirective(ctx, c.params.id);
        const versions = await directives.listDirectiveVersions(ctx, d.id);
        let from = intOf(c.query.from);
        let to = intOf(c.query.to);
        if (from === undefined && to === undefined && versions.length >= 2) {
          // by default: the latest change
          from = d.version - 1;
          to = d.version;
        }
        const operate = can(viewer, 'operate');
        return htmlResponse(
          <Layout title={`Directive ${d.name}`} active="/directives" viewer={viewer}>
            <p>
              <a href="/directives">← All directives</a>
            </p>
            <h1 safe>{d.title}</h1>
            <p class="muted">
              <code safe>{d.name}</code>
              <span
                safe
              >{` · ${d.level} · version ${d.version} · ${d.approval_required ? 'runs need approval' : 'runs start at once'} · ${d.active ? 'active' : 'inactive'}`}</span>
              {' · updated '}
              <When at={d.updated_at} />
            </p>
            {d.is_builtin ? (
              <p class="note">A built-in directive: an edit saves a new version of it, as through the API.</p>
            ) : (
              ''
            )}
            {operate ? (
              <p class="actions">
                <ActiveForm viewer={viewer} d={d} />
              </p>
            ) : (
              ''
            )}
            <h2>Text</h2>
            <pre class="wrap" x-ignore safe>
              {`\n${d.body}`}
            </pre>
            <p class="muted">
              SHA-256 <code safe>{d.sha256}</code>
            </p>
            {operate ? (
              <>
                <h2>Edit</h2>
                <EditForm viewer={viewer} d={d} />
              </>
            ) : (
              ''
            )}
            <h2>Version history</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Title</th>
                  <th scope="col">Level</th>
                  <th scope="col">Approval</th>
                  <th scope="col">SHA-256</th>
                  <th scope="col">Saved</th>
                  <th scope="col">Changes</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr data-version={String(v.version)}>
                    <td safe>{`v${v.version}`}</td>
                    <td safe>{v.title}</td>
                    <td>{v.level}</td>
                    <td>{v.approval_required ? 'needs approval' : '—'}</td>
                    <td>
                      <code title={v.sha256} safe>
                        {v.sha256.slice(0, 12)}
                      </code>
                    </td>
                    <td>
                      <When at={v.created_at} />
                    </td>
                    <td>
                      {v.version > 1 ? (
                        <a
                          href={`/directives/${d.id}${query({ from: v.version - 1, to: v.version })}#compare`}
                          safe
                        >{`v${v.version - 1} → v${v.version}`}</a>
                      ) : (
                        <span class="muted">first</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2 id="compare">Compare versions</h2>
            <VersionDiff d={d} versions={versions} from={from} to={to} />
          </Layout>,
        );
      },
      {
        params: IdParams,
        query: t.Object({ from: t.Optional(t.String({ maxLength: 16 })), to: t.Optional(t.String({ maxLength: 16 })) }),
        detail: {
          summary: 'Web UI: one directive, its edit form, version history and a diff between versions',
          tags: ['web'],
        },
      },
    )
    .post(
      '/directives/:id',
      async ({ params, body }) => {
        const current = await directives.getDirective(ctx, params.id);
        if (body.intent === 'active') {
          if (body.active === undefined)
            throw new AppError(400, 'validation_failed', 'say whether the directive is active');
          await directives.updateDirective(ctx, current.id, { active: body.active === 'true' });
        } else {
          if (body.title === undefined || body.body === undefined || body.level === undefined) {
            throw new AppError(400, 'validation_failed', 'the edit form needs a title, a level and a text');
          }
          await directives.updateDirective(ctx, current.id, {
            title: body.title,
            level: body.level,
            body: plainNewlines(body.body),
            approval_required: body.approval_required === 'true',
          });
        }
        return seeOther(`/directives/${current.id}`);
      },
      {
        params: IdParams,
        parse: 'urlencoded',
        body: t.Object({
          ...csrfField,
          intent: t.Union([t.Literal('edit'), t.Literal('active')]),
          title: t.Optional(t.String({ maxLength: 400 })),
          level: t.Optional(Level),
          body: t.Optional(t.String({ maxLength: MAX_DIRECTIVE_CHARS * 2 })),
          approval_required: Checkbox,
          active: t.Optional(t.Union([t.Literal('true'), t.Literal('false')])),
        }),
        detail: {
          summary: 'Web UI: save a directive edit as a new version, or switch it on or off (then shows it)',
          tags: ['web'],
        },
      },
    );
}
