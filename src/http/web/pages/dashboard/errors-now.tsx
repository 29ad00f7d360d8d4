// The dashboard's current error and warning patterns per container.
import type { ErrorPatternsNow } from '../../../../service/error-patterns.ts';
import { Empty, StatusBadge } from '../../components.tsx';

const rate = (perHour: number | null) =>
  perHour === null ? '' : perHour >= 60 ? `${Math.round(perHour / 60)}/min` : `${Math.round(perHour * 10) / 10}/h`;

/** The current error and warning patterns per container, with restarts and crash loops. */
export function ErrorsNow(props: { now: ErrorPatternsNow }): JSX.Element {
  const { now } = props;
  if (now.status === 'none') return <Empty>No log triage has finished yet.</Empty>;
  const from = (
    <>
      {'From '}
      <a href={`/runs/${now.run_id}`} safe>{`run #${now.run_id}`}</a>
      {now.newer_run ? (
        <>
          {'; the newer run '}
          <a href={`/runs/${now.newer_run.id}`} safe>{`#${now.newer_run.id}`}</a>
          {' is '}
          <StatusBadge status={now.newer_run.status} runId={now.newer_run.id} />
        </>
      ) : (
        ''
      )}
      {'.'}
    </>
  );
  if (now.status === 'warning') {
    return (
      <p class="warning" role="status">
        <span class="badge warn">warning</span>{' '}
        <span safe>{`Latest triage: ${now.status_reason ?? 'nothing to read'}. This is not an all-clear.`}</span> {from}
      </p>
    );
  }
  const troubled = now.containers.filter((c) => c.patterns.length || c.crash_loop);
  if (!troubled.length)
    return (
      <p class="muted">
        {'No error or warning pattern in the latest triage. '}
        {from}
      </p>
    );
  return (
    <>
      <p class="muted">{from}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Container</th>
            <th scope="col" class="num">
              Restarts
            </th>
            <th scope="col">Pattern</th>
            <th scope="col">Level</th>
            <th scope="col" class="num">
              Count
            </th>
            <th scope="col" class="num">
              Rate
            </th>
          </tr>
        </thead>
        <tbody>
          {troubled.map((c) => {
            const rows = c.patterns.filter((p) => p.kind !== 'crash_loop').slice(0, 5);
            const head = (
              <td rowspan={String(Math.max(rows.length, 1))}>
                <span safe>{c.container}</span>
                {c.crash_loop ? <span class="badge bad">crash loop</span> : ''}
              </td>
            );
            const restarts = (
              <td class="num" rowspan={String(Math.max(rows.length, 1))} safe>
                {c.restarts ? `${c.restarts.window} (total ${c.restarts.total})` : ''}
              </td>
            );
            if (!rows.length)
              return (
                <tr>
                  {head}
                  {restarts}
                  <td colspan="4" class="muted">
                    restarting in a loop; no error line in the window
                  </td>
                </tr>
              );
            return rows
              .map((p, i) => (
                <tr>
                  {i === 0 ? head : ''}
                  {i === 0 ? restarts : ''}
                  <td>
                    {p.status === 'new' ? <span class="badge warn">new</span> : ''}
                    {p.spike ? <span class="badge warn">spike</span> : ''}{' '}
                    <code safe>{p.template.length > 200 ? `${p.template.slice(0, 200)}…` : p.template}</code>
                  </td>
                  <td safe>{p.level}</td>
                  <td class="num" safe>
                    {String(p.count)}
                  </td>
                  <td class="num" safe>
                    {rate(p.per_hour)}
                  </td>
                </tr>
              ))
              .join('');
          })}
        </tbody>
      </table>
    </>
  );
}
