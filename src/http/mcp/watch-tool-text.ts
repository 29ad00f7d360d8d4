// Text renderings of the watch tools' results: every schedule, destination, rule and delivery named
// with all its fields that matter, so a host that hands the model only the text loses nothing.
import type { Static } from '@sinclair/typebox';
import type * as w from '../../service/watch-schemas.ts';

const list = <T>(items: T[], none: string, line: (x: T) => string) =>
  items.length ? items.map(line).join('\n') : none;
const opts = (o: Record<string, unknown>) => (Object.keys(o).length ? `; options ${JSON.stringify(o)}` : '');

export const scheduleLine = (s: Static<typeof w.ScheduleView>) =>
  `schedule ${s.id} "${s.name}": tasks ${s.tasks.join(', ')}; ${s.cron !== null ? `cron ${s.cron}` : `every ${s.every_seconds}s`}; ` +
  `${s.enabled ? `next ${s.next_runs.join(', ') || '-'}` : 'paused'}; last slot ${s.last_slot ? `${s.last_slot.at}${s.last_slot.run_id !== null ? ` (run ${s.last_slot.run_id})` : ''}` : 'none'}` +
  `${s.directive_id !== null ? `; directive ${s.directive_id}` : ''}${opts(s.options)}; updated ${s.updated_at}`;
export const scheduleList = (r: Static<typeof w.ScheduleList>) => list(r.schedules, 'no schedules', scheduleLine);

export const destinationLine = (d: Static<typeof w.DestinationView>) =>
  `destination ${d.id} "${d.name}" (${d.kind}${d.enabled ? '' : ', disabled'}): ${
    Object.entries(d.fields)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ') || 'no settings'
  }; updated ${d.updated_at}`;
export const destinationList = (r: Static<typeof w.DestinationList>) =>
  list(r.destinations, 'no destinations', destinationLine);

const selector = (c: Static<typeof w.RuleView>['containers']) =>
  c === null
    ? 'every allowlisted container'
    : [
        c.names?.length ? `names ${c.names.join(', ')}` : '',
        c.projects?.length ? `projects ${c.projects.join(', ')}` : '',
        c.labels?.length ? `labels ${c.labels.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ') || 'no containers';
export const ruleLine = (x: Static<typeof w.RuleView>) =>
  `rule ${x.id} "${x.name}"${x.enabled ? '' : ' (disabled)'}: ${x.events.join(', ')} from ${selector(x.containers)}, severity ${x.min_severity} or worse -> destination ${x.destination_id}; cooldown ${x.cooldown_seconds}s, grouping ${x.group_seconds}s`;
export const ruleList = (r: Static<typeof w.RuleList>) => list(r.rules, 'no rules', ruleLine);

export const deliveryLine = (d: Static<typeof w.DeliveryView>) =>
  `delivery ${d.id} to destination ${d.destination.id} "${d.destination.name}"${d.is_test ? ' (test)' : ''}: ${d.title ?? '(no title)'}; events ${d.events.join(', ')}; ` +
  `${d.status} after ${d.attempts}/${d.max_attempts} attempt(s); created ${d.created_at}${d.delivered_at ? `; delivered ${d.delivered_at}` : ''}` +
  `${d.next_attempt_at ? `; next attempt ${d.next_attempt_at}` : ''}${d.last_error ? `; last error: ${d.last_error}` : ''}` +
  d.attempt_log
    .map(
      (a) =>
        `\n  attempt ${a.attempt} at ${a.at}: ${a.ok ? 'ok' : 'failed'}${a.status_code !== null ? ` (HTTP ${a.status_code})` : ''}${a.error ? ` ${a.error}` : ''}, ${a.duration_ms} ms`,
    )
    .join('');
export const deliveryPage = (r: Static<typeof w.DeliveryPage>) =>
  list(r.deliveries, 'no deliveries', deliveryLine) +
  (r.next_before !== null ? `\n(more: pass before=${r.next_before})` : '');

export const testResult = (t: Static<typeof w.TestResult>) =>
  `test message ${t.outbox_id}: ${t.ok ? 'delivered' : 'not delivered'} (${t.status})${t.status_code !== null ? `; HTTP ${t.status_code}` : ''}${t.error ? `; error: ${t.error}` : ''}`;
