// Containers a log triage was asked for by name but cannot read, each with the reason, so the job's
// result names them instead of ending "success" as if they had been read.
import type { ContainerSummary } from '../docker/types.ts';
import { allowLabel } from '../docker/types.ts';
import type { AllowlistRow } from '../store/allowlist.ts';

export interface Unreadable {
  container: string;
  reason: string;
}

const matches = (ref: string, id: string, name: string) =>
  ref === name || ref === id || (/^[0-9a-f]{4,}$/.test(ref) && id.startsWith(ref));

/** The names in `asked` that no triage target answers to, and why each cannot be read. Pure. */
export function unreadableContainers(
  asked: string[],
  targets: { name: string; id: string }[],
  entries: AllowlistRow[],
  live: ContainerSummary[],
): Unreadable[] {
  const out: Unreadable[] = [];
  for (const ref of asked) {
    if (targets.some((t) => matches(ref, t.id, t.name))) continue;
    const entry = entries.find((e) => matches(ref, e.container_id, e.name));
    const container = live.find((c) => matches(ref, c.id, c.name));
    let reason: string;
    if (entry && !entry.enabled) reason = 'its allowlist entry is disabled';
    else if (container && allowLabel(container.labels) === false) reason = 'it is labelled cyberbrain.allow=false';
    else if (container) reason = 'it is not on the allowlist';
    else reason = 'no container of that name or id is on the Docker host';
    out.push({ container: ref, reason });
  }
  return out;
}

/** The job result's one-line form: "name: reason; name: reason", or null when every name was read. */
export const unreadableText = (list: Unreadable[]): string | null =>
  list.length ? list.map((u) => `${u.container}: ${u.reason}`).join('; ') : null;
