// The directive forms: create, edit (every content change saves a new version) and switch on or off.
// User text in attributes is escaped in full.
import Html from '@kitajs/html';
import type * as directives from '../../../../service/directives.ts';
import { MAX_DIRECTIVE_CHARS } from '../../../../service/schemas.ts';
import { CsrfField, type Viewer } from '../../page.tsx';

const LEVELS = [
  { value: 'D1', label: 'D1 · read-only diagnostics' },
  { value: 'D2', label: 'D2 · conservative recommendations' },
  { value: 'D3', label: 'D3 · change planning (needs approval)' },
  { value: 'D4', label: 'D4 · admin override (needs approval)' },
] as const;

/** An attribute value: this JSX runtime escapes only `"` there, so user text is escaped in full first. */
const attr = (text: string) => Html.escapeHtml(text);

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

export function CreateForm(props: { viewer: Viewer }): JSX.Element {
  return (
    <form method="post" action="/directives" class="stack card">
      <CsrfField viewer={props.viewer} />
      <label>
        Name (lowercase letters, digits and dashes)
        <input
          type="text"
          name="name"
          required
          maxlength="63"
          pattern="[a-z0-9][a-z0-9\-]{0,62}"
          placeholder="ignore-429s"
          autocomplete="off"
        />
      </label>
      <label>
        Title
        <input type="text" name="title" required maxlength="200" />
      </label>
      {/* biome-ignore lint/a11y/noLabelWithoutControl: LevelSelect renders the select inside this label */}
      <label>
        Level
        <LevelSelect />
      </label>
      <label>
        Text
        <textarea
          name="body"
          required
          maxlength={String(MAX_DIRECTIVE_CHARS)}
          placeholder="e.g. ignore 429s from sonarr"
        ></textarea>
      </label>
      <label>
        <input type="checkbox" name="approval_required" value="true" /> A person must approve runs under it (always for
        D3 and D4)
      </label>
      <div>
        <button type="submit">Create directive</button>
      </div>
    </form>
  );
}

export function EditForm(props: { viewer: Viewer; d: directives.DirectiveView }): JSX.Element {
  const { d } = props;
  return (
    <form method="post" action={`/directives/${d.id}`} class="stack card">
      <CsrfField viewer={props.viewer} />
      <input type="hidden" name="intent" value="edit" />
      <label>
        Title
        <input type="text" name="title" required maxlength="200" value={attr(d.title)} />
      </label>
      {/* biome-ignore lint/a11y/noLabelWithoutControl: LevelSelect renders the select inside this label */}
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
        <input type="checkbox" name="approval_required" value="true" checked={d.approval_required} /> A person must
        approve runs under it (always for D3 and D4)
      </label>
      <p
        class="note"
        safe
      >{`Saving a changed title, level, text or approval setting makes version ${d.version + 1}; version ${d.version} stays in the history.`}</p>
      <div>
        <button type="submit">Save as a new version</button>
      </div>
    </form>
  );
}

/** Switches a directive on or off (no new version); built-ins included. */
export function ActiveForm(props: { viewer: Viewer; d: directives.DirectiveView }): JSX.Element {
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
