// What changed between two inventory snapshots. Pure: two container lists in, a change list out.
// Containers are matched by id; those left over are matched as RECREATED by name, then by compose
// project + service (the new container has a new id but is "the same service").
import type { InventoryContainer, PortBinding } from '../docker/types.ts';

export interface ContainerRef {
  id: string;
  name: string;
  image: string;
}

export interface Recreated {
  name: string;
  matched_by: 'name' | 'compose_service';
  from: ContainerRef;
  to: ContainerRef;
  image_changed: boolean;
}

export interface ImageChanged {
  name: string;
  from_id: string;
  to_id: string;
  from_image: string;
  to_image: string;
  from_image_id: string;
  to_image_id: string;
}

export interface Restarted {
  id: string;
  name: string;
  from_restart_count: number;
  to_restart_count: number;
  from_started_at: string | null;
  to_started_at: string | null;
}

export interface StateChanged {
  id: string;
  name: string;
  from_state: string;
  to_state: string;
  from_health: string | null;
  to_health: string | null;
  exit_code: number | null;
  oom_killed: boolean;
}

export interface PortsChanged {
  id: string;
  name: string;
  from: PortBinding[];
  to: PortBinding[];
}

export interface NetworksChanged {
  id: string;
  name: string;
  from: string[];
  to: string[];
}

export interface InventoryDiff {
  added: ContainerRef[];
  removed: ContainerRef[];
  recreated: Recreated[];
  image_changed: ImageChanged[];
  restarted: Restarted[];
  state_changed: StateChanged[];
  ports_changed: PortsChanged[];
  networks_changed: NetworksChanged[];
}

const ref = (c: InventoryContainer): ContainerRef => ({ id: c.id, name: c.name, image: c.image });
const serviceKey = (c: InventoryContainer) =>
  c.compose_project && c.compose_service ? `${c.compose_project}\u0000${c.compose_service}` : null;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Takes the first container of `pool` with the key, removing it. */
function take(pool: Map<string, InventoryContainer[]>, key: string | null): InventoryContainer | undefined {
  if (key === null) return undefined;
  const list = pool.get(key);
  const c = list?.shift();
  if (list && list.length === 0) pool.delete(key);
  return c;
}

function group(
  list: InventoryContainer[],
  key: (c: InventoryContainer) => string | null,
): Map<string, InventoryContainer[]> {
  const m = new Map<string, InventoryContainer[]>();
  for (const c of list) {
    const k = key(c);
    if (k === null) continue;
    const l = m.get(k);
    if (l) l.push(c);
    else m.set(k, [c]);
  }
  return m;
}

export function diffInventories(before: InventoryContainer[], after: InventoryContainer[]): InventoryDiff {
  const diff: InventoryDiff = {
    added: [],
    removed: [],
    recreated: [],
    image_changed: [],
    restarted: [],
    state_changed: [],
    ports_changed: [],
    networks_changed: [],
  };
  const beforeById = new Map(before.map((c) => [c.id, c]));
  const afterIds = new Set(after.map((c) => c.id));
  const pairs: Array<[InventoryContainer, InventoryContainer]> = [];
  const newOnes: InventoryContainer[] = [];
  for (const c of after) {
    const old = beforeById.get(c.id);
    if (old) pairs.push([old, c]);
    else newOnes.push(c);
  }
  const gone = before.filter((c) => !afterIds.has(c.id));
  const goneLeft = new Set(gone);
  const byName = group(gone, (c) => c.name);
  const byService = group(gone, serviceKey);

  for (const c of newOnes) {
    let old = take(byName, c.name);
    let matchedBy: Recreated['matched_by'] = 'name';
    while (old && !goneLeft.has(old)) old = take(byName, c.name);
    if (!old) {
      matchedBy = 'compose_service';
      old = take(byService, serviceKey(c));
      while (old && !goneLeft.has(old)) old = take(byService, serviceKey(c));
    }
    if (!old) {
      diff.added.push(ref(c));
      continue;
    }
    goneLeft.delete(old);
    const imageChanged = old.image !== c.image || old.image_id !== c.image_id;
    diff.recreated.push({
      name: c.name,
      matched_by: matchedBy,
      from: ref(old),
      to: ref(c),
      image_changed: imageChanged,
    });
    pairs.push([old, c]);
  }
  for (const c of gone) if (goneLeft.has(c)) diff.removed.push(ref(c));

  for (const [a, b] of pairs) {
    if (a.image !== b.image || a.image_id !== b.image_id) {
      diff.image_changed.push({
        name: b.name,
        from_id: a.id,
        to_id: b.id,
        from_image: a.image,
        to_image: b.image,
        from_image_id: a.image_id,
        to_image_id: b.image_id,
      });
    }
    // a restart keeps the id: the restart count rises (restart policy) or the start time moves (docker restart)
    if (
      a.id === b.id &&
      (b.restart_count !== a.restart_count || (b.started_at !== a.started_at && b.started_at !== null))
    ) {
      diff.restarted.push({
        id: b.id,
        name: b.name,
        from_restart_count: a.restart_count,
        to_restart_count: b.restart_count,
        from_started_at: a.started_at,
        to_started_at: b.started_at,
      });
    }
    if (a.state !== b.state || a.health !== b.health) {
      diff.state_changed.push({
        id: b.id,
        name: b.name,
        from_state: a.state,
        to_state: b.state,
        from_health: a.health,
        to_health: b.health,
        exit_code: b.exit_code,
        oom_killed: b.oom_killed,
      });
    }
    if (!same(a.ports, b.ports)) diff.ports_changed.push({ id: b.id, name: b.name, from: a.ports, to: b.ports });
    if (!same(a.networks, b.networks))
      diff.networks_changed.push({ id: b.id, name: b.name, from: a.networks, to: b.networks });
  }
  const byNameOrder = <T extends { name: string }>(xs: T[]) => xs.sort((x, y) => x.name.localeCompare(y.name));
  for (const list of Object.values(diff)) byNameOrder(list as { name: string }[]);
  return diff;
}

/** How many changes of each kind (for events and list views). */
export function diffCounts(d: InventoryDiff): Record<keyof InventoryDiff, number> {
  return {
    added: d.added.length,
    removed: d.removed.length,
    recreated: d.recreated.length,
    image_changed: d.image_changed.length,
    restarted: d.restarted.length,
    state_changed: d.state_changed.length,
    ports_changed: d.ports_changed.length,
    networks_changed: d.networks_changed.length,
  };
}
