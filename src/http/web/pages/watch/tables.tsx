// The watch page's tables: schedules, destinations and rules, each with its actions for `operate`.
import type * as n from '../../../../service/notifications.ts';
import type * as schedules from '../../../../service/schedules.ts';
import { When } from '../../components.tsx';
import type { Viewer } from '../../page.tsx';
import { ActionButton } from './forms.tsx';

export function ScheduleTable(props: {
  list: schedules.ScheduleView[];
  viewer: Viewer;
  operate: boolean;
}): JSX.Element {
  const { list, viewer, operate } = props;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Tasks</th>
          <th scope="col">Timing</th>
          <th scope="col">Next</th>
          <th scope="col">Last run</th>
          {operate ? <th scope="col">Actions</th> : ''}
        </tr>
      </thead>
      <tbody>
        {list.map((s) => (
          <tr data-schedule={String(s.id)}>
            <td safe>{s.name}</td>
            <td safe>{s.tasks.join(', ')}</td>
            <td>{s.cron ? <code safe>{s.cron}</code> : <span safe>{`every ${s.every_seconds} s`}</span>}</td>
            <td>{s.enabled ? <When at={s.next_runs[0]} /> : <span class="muted">paused</span>}</td>
            <td>
              {s.last_slot?.run_id ? (
                <a href={`/runs/${s.last_slot.run_id}`} safe>{`run ${s.last_slot.run_id}`}</a>
              ) : (
                <span class="muted">—</span>
              )}
            </td>
            {operate ? (
              <td class="actions">
                <ActionButton
                  viewer={viewer}
                  action={`/watch/schedules/${s.id}`}
                  intent={s.enabled ? 'pause' : 'resume'}
                  label={s.enabled ? 'Pause' : 'Resume'}
                />
                <ActionButton viewer={viewer} action={`/watch/schedules/${s.id}`} intent="delete" label="Delete" />
              </td>
            ) : (
              ''
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DestinationTable(props: {
  destinations: n.DestinationView[];
  viewer: Viewer;
  operate: boolean;
}): JSX.Element {
  const { destinations, viewer, operate } = props;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Kind</th>
          <th scope="col">Settings</th>
          {operate ? <th scope="col">Actions</th> : ''}
        </tr>
      </thead>
      <tbody>
        {destinations.map((d) => (
          <tr data-destination={String(d.id)}>
            <td safe>{d.name}</td>
            <td safe>{d.kind}</td>
            <td>
              <code safe>
                {Object.entries(d.fields)
                  .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
                  .join(' ')}
              </code>
            </td>
            {operate ? (
              <td class="actions">
                <ActionButton viewer={viewer} action={`/watch/destinations/${d.id}`} intent="test" label="Send test" />
                <ActionButton viewer={viewer} action={`/watch/destinations/${d.id}`} intent="delete" label="Delete" />
              </td>
            ) : (
              ''
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RuleTable(props: {
  rules: n.RuleView[];
  destName: Map<number, string>;
  viewer: Viewer;
  operate: boolean;
}): JSX.Element {
  const { rules, destName, viewer, operate } = props;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Events</th>
          <th scope="col">Containers</th>
          <th scope="col">Destination</th>
          <th scope="col">Group</th>
          {operate ? <th scope="col">Actions</th> : ''}
        </tr>
      </thead>
      <tbody>
        {rules.map((r) => (
          <tr data-rule={String(r.id)}>
            <td safe>{r.name}</td>
            <td safe>{r.events.join(', ')}</td>
            <td safe>
              {r.containers
                ? [
                    ...(r.containers.names ?? []),
                    ...(r.containers.projects ?? []).map((p) => `project ${p}`),
                    ...(r.containers.labels ?? []).map((l) => `label ${l}`),
                  ].join(', ')
                : 'every allowlisted container'}
            </td>
            <td safe>{destName.get(r.destination_id) ?? String(r.destination_id)}</td>
            <td safe>{`${r.group_seconds} s`}</td>
            {operate ? (
              <td class="actions">
                <ActionButton viewer={viewer} action={`/watch/rules/${r.id}`} intent="delete" label="Delete" />
              </td>
            ) : (
              ''
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
