// What the gateway hands out: plain data of our own, never dockerode objects (only src/docker/ knows
// dockerode). Nothing here carries environment values: they hold secrets.

export type StreamName = 'stdout' | 'stderr';

/** One log line as Docker stored it: its timestamp (RFC 3339, nanoseconds, UTC), stream and text. */
export interface LogLine {
  /** Docker's timestamp, e.g. 2026-01-01T12:00:00.123456789Z (fixed width, so strings sort by time). */
  ts: string;
  stream: StreamName;
  text: string;
  /** True when the line was longer than the cap; text then ends with a marker. */
  truncated: boolean;
}

export interface PortBinding {
  private_port: number;
  type: string;
  public_port: number | null;
  ip: string | null;
}

/** Who a container is: enough to find it again after it is recreated. */
export interface ContainerIdentity {
  id: string;
  name: string;
  labels: Record<string, string>;
  compose_project: string | null;
  compose_service: string | null;
}

/** Listing metadata, given for every container whatever the allowlist says. */
export interface ContainerSummary extends ContainerIdentity {
  image: string;
  image_id: string;
  state: string;
  status: string;
  ports: PortBinding[];
  networks: string[];
  created: string;
}

export interface MountSummary {
  type: string;
  destination: string;
  /** The volume's name for volume mounts; null for binds and tmpfs (host paths are not kept). */
  volume: string | null;
}

/** What an inventory snapshot keeps of one container (no environment, no command line). */
export interface InventoryContainer extends ContainerSummary {
  health: string | null;
  restart_count: number;
  exit_code: number | null;
  oom_killed: boolean;
  started_at: string | null;
  finished_at: string | null;
  mounts: MountSummary[];
}

/** Inspect output for an allowlisted container: environment reduced to variable NAMES. */
export interface ContainerDetails extends InventoryContainer {
  tty: boolean;
  command: string[];
  env_names: string[];
  restart_policy: string | null;
}

export interface ContainerTop {
  titles: string[];
  processes: string[][];
}

/** One-shot resource figures. */
export interface ContainerStats {
  read_at: string;
  cpu_percent: number | null;
  memory_bytes: number | null;
  memory_limit_bytes: number | null;
  pids: number | null;
  network_rx_bytes: number;
  network_tx_bytes: number;
  block_read_bytes: number;
  block_write_bytes: number;
}

/** Why an inside-read is refused. */
export type RefusalReason = 'not_allowlisted' | 'disabled' | 'opted_out';

export type AccessDecision = { allowed: true } | { allowed: false; reason: RefusalReason };

/**
 * Decides whether a container's insides may be read. The gateway asks it before every inside-read;
 * `live` lists the host's containers so a policy can follow a recreated container first.
 */
export interface AccessPolicy {
  decide(container: ContainerIdentity, live: () => Promise<ContainerSummary[]>): Promise<AccessDecision>;
}

/** Docker's own labels for a container's opt-in and opt-out, and compose membership. */
export const ALLOW_LABEL = 'cyberbrain.allow';
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

/** A container's own say: true (opt in), false (opt out) or null (no label). */
export function allowLabel(labels: Record<string, string>): boolean | null {
  const v = labels[ALLOW_LABEL]?.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  return null;
}
