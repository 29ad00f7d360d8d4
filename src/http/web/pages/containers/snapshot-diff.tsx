// The diff between two inventory snapshots, one section per kind of change.
// Docker-derived text (names, images, states) is escaped.
import type { InventoryDiff } from '../../../../inventory/diff.ts';
import type { DiffView } from '../../../../service/inventory.ts';
import { shortId, When } from '../../components.tsx';

const DIFF_SECTIONS: { key: keyof InventoryDiff; title: string }[] = [
  { key: 'added', title: 'Added' },
  { key: 'removed', title: 'Removed' },
  { key: 'recreated', title: 'Recreated' },
  { key: 'image_changed', title: 'Image changed' },
  { key: 'restarted', title: 'Restarted' },
  { key: 'state_changed', title: 'State changed' },
  { key: 'ports_changed', title: 'Ports changed' },
  { key: 'networks_changed', title: 'Networks changed' },
];

const portsText = (ports: { private_port: number; type: string; public_port: number | null; ip: string | null }[]) =>
  ports.length === 0
    ? 'none'
    : ports
        .map((p) =>
          p.public_port ? `${p.ip ?? ''}:${p.public_port}->${p.private_port}/${p.type}` : `${p.private_port}/${p.type}`,
        )
        .join(', ');

/** One change as a line of text (escaped by the caller). */
function changeText(key: keyof InventoryDiff, change: unknown): string {
  switch (key) {
    case 'added':
    case 'removed': {
      const c = change as InventoryDiff['added'][number];
      return `${c.name} (${c.image}, ${shortId(c.id)})`;
    }
    case 'recreated': {
      const c = change as InventoryDiff['recreated'][number];
      return `${c.name}: ${shortId(c.from.id)} → ${shortId(c.to.id)}, matched by ${c.matched_by === 'name' ? 'name' : 'compose service'}${c.image_changed ? `, image ${c.from.image} → ${c.to.image}` : ''}`;
    }
    case 'image_changed': {
      const c = change as InventoryDiff['image_changed'][number];
      return `${c.name}: ${c.from_image} (${shortId(c.from_image_id.replace(/^sha256:/, ''))}) → ${c.to_image} (${shortId(c.to_image_id.replace(/^sha256:/, ''))})`;
    }
    case 'restarted': {
      const c = change as InventoryDiff['restarted'][number];
      return `${c.name}: restart count ${c.from_restart_count} → ${c.to_restart_count}${c.to_started_at ? `, started ${c.to_started_at}` : ''}`;
    }
    case 'state_changed': {
      const c = change as InventoryDiff['state_changed'][number];
      const health =
        c.from_health !== c.to_health ? `, health ${c.from_health ?? 'none'} → ${c.to_health ?? 'none'}` : '';
      const exit = c.exit_code !== null && c.to_state === 'exited' ? `, exit code ${c.exit_code}` : '';
      return `${c.name}: ${c.from_state} → ${c.to_state}${health}${exit}${c.oom_killed ? ', killed for memory' : ''}`;
    }
    case 'ports_changed': {
      const c = change as InventoryDiff['ports_changed'][number];
      return `${c.name}: ${portsText(c.from)} → ${portsText(c.to)}`;
    }
    case 'networks_changed': {
      const c = change as InventoryDiff['networks_changed'][number];
      return `${c.name}: ${c.from.join(', ') || 'none'} → ${c.to.join(', ') || 'none'}`;
    }
  }
}

export function SnapshotDiff(props: { diff: DiffView }): JSX.Element {
  const { diff } = props;
  const total = Object.values(diff.counts).reduce((a, b) => a + b, 0);
  return (
    <section class="card" data-diff-from={String(diff.from.id)} data-diff-to={String(diff.to.id)}>
      <h3 safe>{`Snapshot #${diff.from.id} → #${diff.to.id}`}</h3>
      <p class="muted">
        <When at={diff.from.taken_at} />
        {' → '}
        <When at={diff.to.taken_at} />
        <span safe>{` · ${diff.from.container_count} → ${diff.to.container_count} containers`}</span>
      </p>
      {total === 0 ? (
        <p>Nothing changed.</p>
      ) : (
        DIFF_SECTIONS.filter((s) => diff.counts[s.key] > 0).map((s) => (
          <>
            <h4 safe>{`${s.title} (${diff.counts[s.key]})`}</h4>
            <ul data-change={s.key}>
              {(diff.changes[s.key] as unknown[]).map((ch) => (
                <li safe>{changeText(s.key, ch)}</li>
              ))}
            </ul>
          </>
        ))
      )}
    </section>
  );
}
