// One-shot stats reduced to the figures a report uses (the raw answer is large and version-dependent).
import type { ContainerStats } from './types.ts';

interface RawStats {
  read?: string;
  cpu_stats?: {
    cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  pids_stats?: { current?: number };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: Array<{ op?: string; value?: number }> | null };
}

export function statsFromDocker(input: unknown): ContainerStats {
  const s = (input ?? {}) as RawStats;
  const cpu = s.cpu_stats;
  const pre = s.precpu_stats;
  let cpuPercent: number | null = null;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const sysDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  if (cpu?.system_cpu_usage !== undefined && sysDelta > 0) {
    const cpus = cpu.online_cpus ?? cpu.cpu_usage?.percpu_usage?.length ?? 1;
    cpuPercent = Math.round((cpuDelta / sysDelta) * cpus * 10000) / 100;
  }
  // as `docker stats` does: page cache is not the container's working memory
  const mem = s.memory_stats;
  const cache = mem?.stats?.inactive_file ?? mem?.stats?.total_inactive_file ?? 0;
  const memory = mem?.usage === undefined ? null : Math.max(0, mem.usage - cache);
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    rx += n.rx_bytes ?? 0;
    tx += n.tx_bytes ?? 0;
  }
  let read = 0;
  let write = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = (e.op ?? '').toLowerCase();
    if (op === 'read') read += e.value ?? 0;
    else if (op === 'write') write += e.value ?? 0;
  }
  return {
    read_at: s.read && !s.read.startsWith('0001') ? new Date(s.read).toISOString() : new Date().toISOString(),
    cpu_percent: cpuPercent,
    memory_bytes: memory,
    memory_limit_bytes: mem?.limit ?? null,
    pids: s.pids_stats?.current ?? null,
    network_rx_bytes: rx,
    network_tx_bytes: tx,
    block_read_bytes: read,
    block_write_bytes: write,
  };
}
