// A line diff between two directive versions, with the form that picks them. Text is escaped.
import { diffLines } from 'diff';
import type * as directives from '../../../../service/directives.ts';
import { countOf, Empty } from '../../components.tsx';

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
      <p class="muted" safe>
        {added + removed === 0 ? 'The texts are the same.' : `${countOf(added, 'line')} added, ${removed} removed.`}
      </p>
      <pre class="diff" x-ignore>
        {lines}
      </pre>
    </>
  );
}

export function VersionDiff(props: {
  d: directives.DirectiveView;
  versions: directives.DirectiveVersionView[];
  from: number | undefined | null;
  to: number | undefined | null;
}): JSX.Element {
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
  if (props.from === null || props.to === null)
    return (
      <>
        {form}
        <p class="error">Versions are numbers: choose them from the lists.</p>
      </>
    );
  if (props.from === undefined || props.to === undefined) return form;
  const from = pick(props.from);
  const to = pick(props.to);
  if (!from || !to) {
    return (
      <>
        {form}
        <p
          class="error"
          safe
        >{`This directive has no version ${!from ? props.from : props.to}; it has versions 1 to ${d.version}.`}</p>
      </>
    );
  }
  return (
    <>
      {form}
      <h3 safe>{`Changes from v${from.version} to v${to.version}`}</h3>
      {from.title !== to.title ? <p safe>{`Title: “${from.title}” → “${to.title}”`}</p> : ''}
      {from.level !== to.level ? <p safe>{`Level: ${from.level} → ${to.level}`}</p> : ''}
      {from.approval_required !== to.approval_required ? (
        <p
          safe
        >{`Approval required: ${from.approval_required ? 'yes' : 'no'} → ${to.approval_required ? 'yes' : 'no'}`}</p>
      ) : (
        ''
      )}
      <LineDiff from={from.body} to={to.body} />
    </>
  );
}
