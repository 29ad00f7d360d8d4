// GPUs past a threshold: utilisation, memory in use, temperature. Pure; thresholds come from options
// (defaults from GPU_HOT_* variables).
import type { GpuRow } from './parse-gpus.ts';

export interface HotspotThresholds {
  utilization_pct: number;
  memory_pct: number;
  temperature_c: number;
}

export interface Hotspot {
  gpu_index: number | null;
  gpu_uuid: string | null;
  metric: 'utilization' | 'memory' | 'temperature';
  value: number;
  threshold: number;
}

export function memoryPercent(g: Pick<GpuRow, 'memory_used_mib' | 'memory_total_mib'>): number | null {
  if (g.memory_used_mib === null || !g.memory_total_mib) return null;
  return Math.round((g.memory_used_mib / g.memory_total_mib) * 1000) / 10;
}

export function findHotspots(gpus: GpuRow[], t: HotspotThresholds): Hotspot[] {
  const out: Hotspot[] = [];
  for (const g of gpus) {
    const id = { gpu_index: g.index, gpu_uuid: g.uuid };
    if (g.utilization_gpu_pct !== null && g.utilization_gpu_pct >= t.utilization_pct)
      out.push({ ...id, metric: 'utilization', value: g.utilization_gpu_pct, threshold: t.utilization_pct });
    const mem = memoryPercent(g);
    if (mem !== null && mem >= t.memory_pct) out.push({ ...id, metric: 'memory', value: mem, threshold: t.memory_pct });
    if (g.temperature_c !== null && g.temperature_c >= t.temperature_c)
      out.push({ ...id, metric: 'temperature', value: g.temperature_c, threshold: t.temperature_c });
  }
  return out;
}
