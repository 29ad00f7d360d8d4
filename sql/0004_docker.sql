-- Docker: the container allowlist (which containers Cyber-Brain may look inside), its history, and
-- inventory snapshots (what the host looked like at a moment, so runs can say what changed).

-- Keyed by container id, as the older system had it. When the container is recreated (same name, or
-- same compose project + service, new id) and follow is on, the row moves to the new id.
create table container_allowlist (
  -- Serves findAllowlistEntry (every inside-read asks it) and the follow update.
  container_id text primary key,
  name text not null,
  compose_project text,
  compose_service text,
  enabled boolean not null default true,
  description text not null default '',
  tags text[] not null default '{}',
  follow boolean not null default true,
  -- 'api': added by a person or script; 'label': the container said cyberbrain.allow=true
  source text not null default 'api' check (source in ('api', 'label')),
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- Serves findFollowTargets: following entries whose name a live container has (name = any(...)).
create index container_allowlist_name_idx on container_allowlist (name);
-- Serves findFollowTargets: following entries of a live container's compose project (compose_project = any(...)).
create index container_allowlist_compose_idx on container_allowlist (compose_project, compose_service)
  where compose_project is not null;

-- Every change of the allowlist, kept after the entry itself is gone (no foreign key on purpose).
create table container_allowlist_history (
  -- Serves the insert only (history is read per container, below).
  id bigint generated always as identity primary key,
  container_id text not null,
  previous_container_id text,
  action text not null check (action in ('added', 'updated', 'removed', 'followed')),
  name text not null,
  -- why: 'same name', 'same compose service', 'label cyberbrain.allow=true', changed fields, ...
  reason text not null default '',
  at timestamptz not null
);

-- Serves listAllowlistHistory: an entry's rows under each id it had (the recursive walk joins on it).
create index container_allowlist_history_container_idx on container_allowlist_history (container_id, id);

create table inventory_snapshots (
  -- Serves findSnapshot, latestSnapshots and listSnapshots (keyset pages, newest id first).
  id bigint generated always as identity primary key,
  taken_at timestamptz not null,
  -- the daemon it describes (display form, never credentials)
  docker_host text not null,
  container_count integer not null
);

-- Per container of a snapshot. Never environment values (they hold secrets), never command lines,
-- never host paths of bind mounts.
create table inventory_containers (
  snapshot_id bigint not null references inventory_snapshots (id) on delete cascade,
  container_id text not null,
  name text not null,
  image text not null,
  image_id text not null,
  state text not null,
  status text not null,
  health text,
  restart_count integer not null,
  exit_code integer,
  oom_killed boolean not null,
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz,
  labels jsonb not null,
  ports jsonb not null,
  networks jsonb not null,
  mounts jsonb not null,
  compose_project text,
  compose_service text,
  -- Serves listSnapshotContainers: a snapshot's containers.
  primary key (snapshot_id, container_id)
);
