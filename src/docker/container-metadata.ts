// Projects Docker's answers onto our own types, keeping only what the appliance may hold: no
// environment values, no command line in inventories, no host paths of bind mounts.
import type Docker from 'dockerode';
import {
  COMPOSE_PROJECT_LABEL,
  COMPOSE_SERVICE_LABEL,
  type ContainerDetails,
  type ContainerSummary,
  type InventoryContainer,
  type MountSummary,
  type PortBinding,
} from './types.ts';

/** Docker's "never happened" time. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

const time = (s: string | undefined): string | null =>
  !s || s.startsWith('0001-01-01') || s === ZERO_TIME ? null : new Date(s).toISOString();

const stripSlash = (name: string) => name.replace(/^\//, '');

function sortPorts(ports: PortBinding[]): PortBinding[] {
  const seen = new Set<string>();
  const out: PortBinding[] = [];
  for (const p of ports) {
    const key = `${p.private_port}/${p.type}/${p.ip ?? ''}/${p.public_port ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out.sort(
    (a, b) =>
      a.private_port - b.private_port ||
      a.type.localeCompare(b.type) ||
      (a.public_port ?? 0) - (b.public_port ?? 0) ||
      (a.ip ?? '').localeCompare(b.ip ?? ''),
  );
}

function compose(labels: Record<string, string>) {
  return {
    compose_project: labels[COMPOSE_PROJECT_LABEL] ?? null,
    compose_service: labels[COMPOSE_SERVICE_LABEL] ?? null,
  };
}

export function summaryFromList(c: Docker.ContainerInfo): ContainerSummary {
  const labels = c.Labels ?? {};
  return {
    id: c.Id,
    name: stripSlash(c.Names?.[0] ?? c.Id.slice(0, 12)),
    labels,
    ...compose(labels),
    image: c.Image,
    image_id: c.ImageID,
    state: c.State,
    status: c.Status,
    ports: sortPorts(
      (c.Ports ?? []).map((p) => ({
        private_port: p.PrivatePort,
        type: p.Type,
        public_port: p.PublicPort ?? null,
        ip: p.IP ?? null,
      })),
    ),
    networks: Object.keys(c.NetworkSettings?.Networks ?? {}).sort(),
    created: new Date(c.Created * 1000).toISOString(),
  };
}

type PortMap = Record<string, Array<{ HostIp?: string; HostPort?: string }> | null>;

function portsFromInspect(ports: PortMap | undefined): PortBinding[] {
  const out: PortBinding[] = [];
  for (const [key, bindings] of Object.entries(ports ?? {})) {
    const [port, type = 'tcp'] = key.split('/');
    const private_port = Number(port);
    if (!bindings || bindings.length === 0) out.push({ private_port, type, public_port: null, ip: null });
    else
      for (const b of bindings)
        out.push({ private_port, type, public_port: b.HostPort ? Number(b.HostPort) : null, ip: b.HostIp || null });
  }
  return sortPorts(out);
}

function mountsFromInspect(mounts: Docker.ContainerInspectInfo['Mounts'] | undefined): MountSummary[] {
  return (mounts ?? [])
    .map((m) => ({ type: m.Type, destination: m.Destination, volume: m.Type === 'volume' ? (m.Name ?? null) : null }))
    .sort((a, b) => a.destination.localeCompare(b.destination));
}

/** The inventory view of an inspected container. */
export function inventoryFromInspect(c: Docker.ContainerInspectInfo): InventoryContainer {
  const labels = c.Config?.Labels ?? {};
  const state = c.State;
  const st = state as typeof state & { Status?: string };
  return {
    id: c.Id,
    name: stripSlash(c.Name),
    labels,
    ...compose(labels),
    image: c.Config?.Image ?? '',
    image_id: c.Image,
    state: st.Status ?? (state.Running ? 'running' : 'exited'),
    status: describeStatus(c),
    ports: portsFromInspect(c.NetworkSettings?.Ports as PortMap | undefined),
    networks: Object.keys(c.NetworkSettings?.Networks ?? {}).sort(),
    created: new Date(c.Created).toISOString(),
    health: state.Health?.Status ?? null,
    restart_count: c.RestartCount ?? 0,
    exit_code: state.Running ? null : (state.ExitCode ?? null),
    oom_killed: state.OOMKilled === true,
    started_at: time(state.StartedAt),
    finished_at: time(state.FinishedAt),
    mounts: mountsFromInspect(c.Mounts),
  };
}

/** The short status text `docker ps` shows, built from state (inspect has none). */
function describeStatus(c: Docker.ContainerInspectInfo): string {
  const s = c.State as Docker.ContainerInspectInfo['State'] & { Status?: string };
  if (s.Running) return s.Paused ? 'Paused' : s.Restarting ? 'Restarting' : 'Up';
  if (s.Status === 'created') return 'Created';
  return `Exited (${s.ExitCode})`;
}

/** Inspect for allowlisted containers: environment reduced to variable names. */
export function detailsFromInspect(c: Docker.ContainerInspectInfo): ContainerDetails {
  return {
    ...inventoryFromInspect(c),
    tty: c.Config?.Tty === true,
    command: [c.Path, ...(c.Args ?? [])].filter((x): x is string => typeof x === 'string' && x !== ''),
    env_names: (c.Config?.Env ?? []).map((e) => e.split('=', 1)[0]!).sort(),
    restart_policy: c.HostConfig?.RestartPolicy?.Name || null,
  };
}

/**
 * Label values of containers off the allowlist are not ours to show: labels often carry credentials
 * (basic-auth hashes, tokens in router rules). Their keys stay, and the values of these prefixes,
 * which describe the container rather than configure something (compose wiring, image provenance,
 * our own opt-in label).
 */
export const SAFE_LABEL_PREFIXES = ['com.docker.compose.', 'org.opencontainers.image.', 'cyberbrain.'] as const;

/** What a hidden label value reads as (every door and the stored inventory rows). */
export const HIDDEN_LABEL_VALUE = '(hidden: not on the allowlist)';

export const isSafeLabel = (key: string) => SAFE_LABEL_PREFIXES.some((p) => key.startsWith(p));

/** The labels with every value outside the safe set replaced by HIDDEN_LABEL_VALUE. */
export function redactLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) out[k] = isSafeLabel(k) ? v : HIDDEN_LABEL_VALUE;
  return out;
}
