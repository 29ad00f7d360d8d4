// Maps compute-app PIDs (host PIDs, as nvidia-smi prints them) to containers through the host PIDs
// Docker's `top` lists for each allowlisted container. No host PID namespace is needed. Pure.
import type { ComputeApp } from './parse-apps.ts';

export interface ContainerPids {
  id: string;
  name: string;
  pids: number[];
}

export interface AttributedProcess {
  pid: number;
  process_name: string | null;
  gpu_uuid: string | null;
  used_memory_mib: number | null;
}

export interface ContainerGpuUsage {
  container: string;
  container_id: string;
  /** Sum of the processes' known memory; null when none of them reports it (MIG). */
  vram_mib: number | null;
  gpus: string[];
  processes: AttributedProcess[];
}

export interface Attribution {
  containers: ContainerGpuUsage[];
  unattributed: { vram_mib: number | null; processes: AttributedProcess[] };
}

function sumKnown(ps: AttributedProcess[]): number | null {
  const known = ps.filter((p) => p.used_memory_mib !== null);
  return known.length === 0 ? null : known.reduce((n, p) => n + p.used_memory_mib!, 0);
}

/** The PID column of `docker top` output (titles differ with ps options; PID is always there). */
export function pidsFromTop(top: { titles: string[]; processes: string[][] }): number[] {
  const col = top.titles.findIndex((t) => t.trim().toUpperCase() === 'PID');
  if (col < 0) return [];
  return top.processes.map((p) => Number(p[col])).filter((n) => Number.isInteger(n) && n > 0);
}

export function attributeApps(apps: ComputeApp[], containers: ContainerPids[]): Attribution {
  const owner = new Map<number, ContainerPids>();
  for (const c of containers) for (const pid of c.pids) owner.set(pid, c);
  const per = new Map<string, { c: ContainerPids; ps: AttributedProcess[] }>();
  const loose: AttributedProcess[] = [];
  for (const a of apps) {
    const p: AttributedProcess = {
      pid: a.pid,
      process_name: a.process_name,
      gpu_uuid: a.gpu_uuid,
      used_memory_mib: a.used_memory_mib,
    };
    const c = owner.get(a.pid);
    if (!c) loose.push(p);
    else {
      const slot = per.get(c.id) ?? { c, ps: [] };
      slot.ps.push(p);
      per.set(c.id, slot);
    }
  }
  const list = [...per.values()].map(({ c, ps }) => ({
    container: c.name,
    container_id: c.id,
    vram_mib: sumKnown(ps),
    gpus: [...new Set(ps.map((p) => p.gpu_uuid).filter((u): u is string => u !== null))].sort(),
    processes: ps.sort((x, y) => x.pid - y.pid),
  }));
  list.sort((a, b) => (b.vram_mib ?? 0) - (a.vram_mib ?? 0) || a.container.localeCompare(b.container));
  return {
    containers: list,
    unattributed: { vram_mib: sumKnown(loose), processes: loose.sort((x, y) => x.pid - y.pid) },
  };
}
