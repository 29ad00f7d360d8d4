// Directives: the list (active, or all), the create form, and one directive with its edit form (every
// content change saves a new version), its version history and a line diff between two versions.
// Built-in directives are read-only here (only switched on or off).
import Html from '@kitajs/html';
import { diffLines } from 'diff';
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../../app.ts';
import * as directives from '../../../service/directives.ts';
import { MAX_DIRECTIVE_CHARS } from '../../../service/schemas.ts';
import { AppError } from '../../errors.ts';
import { IdParams } from '../../api/params.ts';
import { countOf, Empty, query, When } from '../components.tsx';
import { csrfField } from '../form.ts';
import { can, CsrfField, htmlResponse, Layout, seeOther, type Viewer } from '../page.tsx';
import { viewerOf } from '../viewer.ts';

const LEVELS = [
  { value: 'D1', label: 'D1 · read-only diagnostics' },
  { value: 'D2', label: 'D2 · conservative recommendations' },
  { value: 'D3', label: 'D3 · change planning (needs approval)' },
  { value: 'D4', label: 'D4 · admin override (needs approval)' },
] as const;

const Level = t.Union([t.Literal('D1'), t.Literal('D2'), t.Literal('D3'), t.Literal('D4')]);
/** A checkbox: present (its value) when ticked, absent when not. */
const Checkbox = t.Optional(t.Literal('true'));

/** An attribute value: this JSX runtime escapes only `"` there, so user text is escaped in full first. */
const attr = (text: string) => Html.escapeHtml(text);

/** Browsers send textarea lines with CRLF; the directive keeps plain newlines. */
const plainNewlines = (text: string) => text.replace(/\r\n?/g, '\n');

/** A positive integer from a query field; undefined when empty, null when not a number. */
function intOf(raw: string | undefined): number | undefined | null {
  if (raw === undefined || raw === '') return undefined;
  return /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

function LevelSelect(props: { selected?: string; disabled?: boolean }): JSX.Element {
  return (
    <select name="level" required disabled={props.disabled}>
      {LEVELS.map((l) => (
        <option value={l.value} selected={l.value === (props.selected ?? 'D1')}>
          {l.label}
        </option>
      ))}
    </select>
  );
}

function CreateForm(props: { viewer: Viewer }): JSX.Element {
  return (
    <form method="post" action="/directives" class="stack card">
      <CsrfField viewer={props.viewer} />
      <label>
        Name (lowercase letters, digits and dashes)
        <input type="text" name="name" required maxlength="63" pattern="[a-z0-9][a-z0-9\-]{0,62}" placeholder="ignore-429s" autocomplete="off" />
      </label>
      <label>
        Title
        <input type="text" name="title" required maxlength="200" />
      </label>
      <label>
        Level
        <LevelSelect />
      </label>
      <label>
        Text
        <textarea name="body" required maxlength={String(MAX_DIRECTIVE_CHARS)} placeholder="e.g. ignore 429s from sonarr"></textarea>
      </label>
      <label>
        <input type="checkbox" name="approval_required" value="true" /> A person must approve runs under it (always for D3 and D4)
      </label>
      <div>
        <button type="submit">Create directive</button>
      </div>
    </form>
  );
}

function EditForm(props: { viewer: Viewer; d: directives.DirectiveView }): JSX.Element {
  const { d } = props;
  return (
    <form method="post" action={`/directives/${d.id}`} class="stack card">
      <CsrfField viewer={props.viewer} />
      <input type="hidden" name="intent" value="edit" />
      <label>
        Title
        <input type="text" name="title" required maxlength="200" value={attr(d.title)} />
      </label>
      <label>
        Level
        <LevelSelect selected={d.level} />
      </label>
      <label>
        Text
        <textarea name="body" required maxlength={String(MAX_DIRECTIVE_CHARS)} rows="12" safe>
          {`\n${d.body}`}
        </textarea>
      </label>
      <label>
        <input type="checkbox" name="approval_required" value="true" checked={d.approval_required} /> A person must approve runs under it (always for D3 and D4)
      </label>
      <p class="note" safe>{`Saving a changed title, level, text or approval setting makes version ${d.version + 1}; version ${d.version} stays in the history.`}</p>
      <div>
        <button type="submit">Save as a new version</button>
      </div>
    </form>
  );
}

/** Switches a directive on or off (no new version); built-ins included. */
function ActiveForm(props: { viewer: Viewer; d: directives.DirectiveView }): JSX.Element {
  const { d } = props;
  return (
    <form method="post" action={`/directives/${d.id}`} class="inline">
      <CsrfField viewer={props.viewer} />
      <input type="hidden" name="intent" value="active" />
      <input type="hidden" name="active" value={d.active ? 'false' : 'true'} />
      <button type="submit" class={d.active ? 'secondary' : undefined}>
        {d.active ? 'Deactivate' : 'Activate'}
      </button>
    </form>
  );
}

/** One line per diff line, escaped, marked add / del; a trailing newline ends each. */
export function LineDiff(props: { from: string; to: string }): JSX.Element {
  const lines: JSX.Element[] = [];
  let added = 0;
  let removed = 0;
  // a last line without its newline would otherwise differ from the same line followed by more
  const withEnd = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  for (const change of diffLines(withEnd(props.from), withEnd(props.to))) {
    const parts = change.value.split('\n');
    if (parts[parts.length - 1] === '') parts.pop();
    for (const line of parts) {
      if (change.added) {
        added++;
        lines.push(<span class="add" safe>{`+ ${line}\n`}</span>);
      } else if (change.removed) {
        removed++;
        lines.push(<span class="del" safe>{`- ${line}\n`}</span>);
      } else lines.push(<span safe>{`  ${line}\n`}</span>);
    }
  }
  return (
    <>
      <p class="muted" safe>{added + removed === 0 ? 'The texts are the same.' : `${countOf(added, 'line')} added, ${removed} removed.`}</p>
      <pre class="diff" x-ignore>
        {lines}
      </pre>
    </>
  );
}

function VersionDiff(props: { d: directives.DirectiveView; versions: directives.DirectiveVersionView[]; from: number | undefined | null; to: number | undefined | null }): JSX.Element {
  const { d, versions } = props;
  const pick = (n: number) => versions.find((v) => v.version === n);
  const form = (
    <form method="get" action={`/directives/${d.id}`} class="filters" aria-label="Compare versions">
      <label>
        From version
        <select name="from">
          {versions.map((v) => (
            <option value={String(v.version)} selected={v.version === props.from} safe>{`v${v.version}`}</option>
          ))}
        </select>
      </label>
      <label>
        To version
        <select name="to">
          {versions.map((v) => (
            <option value={String(v.version)} selected={v.version === props.to} safe>{`v${v.version}`}</option>
          ))}
        </select>
      </label>
      <button type="submit" class="secondary">
        Compare
      </button>
    </form>
  );
  if (versions.length < 2) return <Empty>There is only one version so far: nothing to compare.</Empty>;
  if (props.from === null || props.to === null) return <>{form}<p class="error">Versions are numbers: choose them from the lists.</p></>;
  if (props.from === undefined || props.to === undefined) return form;
  const from = pick(props.from);
  const to = pick(props.to);
  if (!from || !to) {
    return (
      <>
        {form}
        <p class="error" safe>{`This directive has no version ${!from ? props.from : props.to}; it has versions 1 to ${d.version}.`}</p>
      </>
    );
  }
  return (
    <>
      {form}
      <h3 safe>{`Changes from v${from.version} to v${to.version}`}</h3>
      {from.title !== to.title ? <p safe>{`Title: “${from.title}” → “${to.title}”`}</p> : ''}
      {from.level !== to.level ? <p safe>{`Level: ${from.level} → ${to.level}`}</p> : ''}
      {from.approval_required !== to.approval_required ? <p safe>{`Approval required: ${from.approval_required ? 'yes' : 'no'} → ${to.approval_required ? 'yes' : 'no'}`}</p> : ''}
      <LineDiff from={from.body} to={to.body} />
    </>
  );
}

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
            <p class="muted">Standing instructions put into the model's prompt. Every change to one is kept as a new version; a run keeps a snapshot of the version it used.</p>
            <form method="get" action="/directives" class="filters" aria-label="Which directives">
              <label>
                <input type="checkbox" name="inactive" value="true" checked={showInactive} /> Show inactive directives too
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
                    <th scope="col" class="num">Version</th>
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
              <span safe>{` · ${d.level} · version ${d.version} · ${d.approval_required ? 'runs need approval' : 'runs start at once'} · ${d.active ? 'active' : 'inactive'}`}</span>
              {' · updated '}
              <When at={d.updated_at} />
            </p>
            {d.is_builtin ? <p class="note">A built-in directive: an edit saves a new version of it, as through the API.</p> : ''}
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
                    <td>{v.version > 1 ? <a href={`/directives/${d.id}${query({ from: v.version - 1, to: v.version })}#compare`} safe>{`v${v.version - 1} → v${v.version}`}</a> : <span class="muted">first</span>}</td>
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
        detail: { summary: 'Web UI: one directive, its edit form, version history and a diff between versions', tags: ['web'] },
      },
    )
    .post(
      '/directives/:id',
      async ({ params, body }) => {
        const current = await directives.getDirective(ctx, params.id);
        if (body.intent === 'active') {
          if (body.active === undefined) throw new AppError(400, 'validation_failed', 'say whether the directive is active');
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
        detail: { summary: 'Web UI: save a directive edit as a new version, or switch it on or off (then shows it)', tags: ['web'] },
      },
    );
}
