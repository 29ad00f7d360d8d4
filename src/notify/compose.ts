// Turns the events of one group into one message: the most severe first, one line each.
import type { Message, MessageItem } from './message.ts';
import { severityRank } from './message.ts';

export interface ComposeInput {
  id: string;
  host: string;
  publicUrl: string | undefined;
  items: (MessageItem & { title: string })[];
}

export function composeMessage(c: ComposeInput): Message {
  const items = [...c.items].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.first_seen.localeCompare(b.first_seen),
  );
  const top = items[0]!;
  const containers = [...new Set(items.map((i) => i.container).filter((n): n is string => n !== null))];
  const title =
    items.length === 1
      ? top.title
      : `${items.length} events on ${c.host}: ${containers.slice(0, 3).join(', ') || 'the host'}${containers.length > 3 ? ', …' : ''}`;
  const runIds = [...new Set(items.map((i) => i.run_id).filter((r): r is number => r !== null))];
  const runId = runIds.length === 1 ? runIds[0]! : null;
  const url = c.publicUrl ? (runId !== null ? `${c.publicUrl}/runs/${runId}` : `${c.publicUrl}/`) : null;
  const first = items.map((i) => i.first_seen).sort()[0] ?? top.first_seen;
  return {
    id: c.id,
    event: top.event,
    severity: top.severity,
    host: c.host,
    container: containers.length === 1 ? containers[0]! : null,
    title,
    text: items.map((i) => i.line).join('\n'),
    count: items.reduce((n, i) => n + i.count, 0),
    first_seen: first,
    run_id: runId,
    url,
    items: items.map(({ title: _t, ...rest }) => rest),
  };
}
