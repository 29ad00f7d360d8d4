// What is worth a message: a signal (a new error pattern, a crash loop, an OOM kill...) goes to the
// rules that match its event, container and severity; an incident is announced once, again only when
// it has at least doubled; each matching rule adds it to its destination's group, sent as one message
// when the group's window closes.
import * as allowlist from '../store/allowlist.ts';
import * as config from '../store/notification-config.ts';
import * as outbox from '../store/notification-outbox.ts';
import { severityRank, type Severity } from '../notify/message.ts';
import type { NotificationsCtx, NotifyEvent } from './notifications.ts';

export interface SignalContainer {
  name: string;
  id: string | null;
  compose_project: string | null;
  labels: Record<string, string>;
}

export interface WatchSignal {
  event: NotifyEvent;
  severity: Severity;
  /** Stable across sources and runs: "crash_loop:webapp", "pattern:webapp:<fingerprint>", "died:webapp:<time>". */
  incident_key: string;
  container: SignalContainer | null;
  title: string;
  /** One line for a grouped message. */
  line: string;
  count: number;
  first_seen: Date;
  run_id: number | null;
}

/** A worse incident is announced again when its count reached this multiple of the last announced one. */
export const WORSEN_FACTOR = 2;

export interface IngestResult {
  /** Rules that took the signal. */
  queued: number;
  /** Why nothing was queued, when so. */
  quiet?: 'no_rule' | 'known';
}

const globRe = (g: string) =>
  new RegExp(
    `^${g
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

async function containerMatches(
  ctx: NotificationsCtx,
  sel: config.ContainerSelector | null,
  c: SignalContainer | null,
  allowed: () => Promise<boolean>,
): Promise<boolean> {
  if (!c) return true; // host-wide events (a failed run) are not about one container
  if (sel === null) return allowed();
  if (sel.names?.some((g) => globRe(g).test(c.name))) return true;
  if (c.compose_project && sel.projects?.includes(c.compose_project)) return true;
  if (
    sel.labels?.some((l) => {
      const eq = l.indexOf('=');
      return eq < 0 ? l in c.labels : c.labels[l.slice(0, eq)] === l.slice(eq + 1);
    })
  )
    return true;
  return false;
}

/** Whether the container is on the allowlist (enabled), by id or, for a recreated one, by name. */
async function isAllowlisted(ctx: NotificationsCtx, c: SignalContainer): Promise<boolean> {
  const rows = await allowlist.listAllowlist(ctx.db.sql);
  return rows.some((r) => r.enabled && (r.container_id === c.id || r.name === c.name));
}

export async function ingestSignal(ctx: NotificationsCtx, s: WatchSignal): Promise<IngestResult> {
  const now = ctx.clock.now();
  let allowedMemo: Promise<boolean> | undefined;
  const allowed = () => (allowedMemo ??= s.container ? isAllowlisted(ctx, s.container) : Promise.resolve(true));
  const rules: config.RuleRow[] = [];
  for (const r of await config.rulesForEvent(ctx.db.sql, s.event)) {
    if (severityRank(s.severity) < severityRank(r.min_severity)) continue;
    if (await containerMatches(ctx, r.containers, s.container, allowed)) rules.push(r);
  }
  if (rules.length === 0) return { queued: 0, quiet: 'no_rule' };
  const seen = await outbox.noteIncident(
    ctx.db.sql,
    { key: s.incident_key, event: s.event, container: s.container?.name ?? null, seen: s.first_seen, count: s.count },
    WORSEN_FACTOR,
    now,
  );
  if (!seen.announce) return { queued: 0, quiet: 'known' };
  let queued = 0;
  let soonest: number | null = null;
  for (const r of rules) {
    if (
      r.cooldown_seconds > 0 &&
      (await outbox.recentPendingOfRule(
        ctx.db.sql,
        r.id,
        s.incident_key,
        new Date(now.getTime() - r.cooldown_seconds * 1000),
      ))
    )
      continue;
    const { due_at } = await ctx.db.sql.begin((tx) =>
      outbox.addPending(
        tx,
        {
          rule_id: r.id,
          destination_id: r.destination_id,
          incident_key: s.incident_key,
          event: s.event,
          severity: s.severity,
          container: s.container?.name ?? null,
          title: s.title,
          text: s.line,
          count: s.count,
          first_seen: s.first_seen,
          run_id: s.run_id,
        },
        r.group_seconds,
        now,
      ),
    );
    queued++;
    soonest = Math.min(soonest ?? Infinity, due_at.getTime());
  }
  if (queued) ctx.events.publish('notify.pending', { due_at: new Date(soonest ?? now.getTime()).toISOString() });
  return { queued };
}
