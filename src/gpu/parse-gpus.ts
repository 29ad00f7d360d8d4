// Parses `nvidia-smi --query-gpu=<GPU_FIELDS> --format=csv,noheader,nounits`. Robust to placeholders,
// missing trailing columns (older drivers), commas inside a model name, and "No devices were found".
import { csvRecords, noDeviceMessage, numberField, textField } from './nvidia-csv.ts';

export const GPU_FIELDS = [
  'index',
  'uuid',
  'name',
  'utilization.gpu',
  'utilization.memory',
  'memory.total',
  'memory.used',
  'temperature.gpu',
  'power.draw',
  'power.limit',
] as const;

export interface GpuRow {
  index: number | null;
  uuid: string | null;
  name: string | null;
  utilization_gpu_pct: number | null;
  utilization_memory_pct: number | null;
  memory_total_mib: number | null;
  memory_used_mib: number | null;
  temperature_c: number | null;
  power_draw_w: number | null;
  power_limit_w: number | null;
}

export interface ParsedGpus {
  gpus: GpuRow[];
  /** Why there are no GPUs, when nvidia-smi said so. */
  none_reason: string | null;
  /** Lines that could not be read (counted, never quoted into reports verbatim beyond their number). */
  skipped_lines: number;
}

export function parseGpuCsv(text: string): ParsedGpus {
  const reason = noDeviceMessage(text);
  if (reason) return { gpus: [], none_reason: reason, skipped_lines: 0 };
  const gpus: GpuRow[] = [];
  let skipped = 0;
  for (const f of csvRecords(text)) {
    if (f.length < 2 || !/^\d+$/.test(f[0]!)) {
      skipped++;
      continue;
    }
    // a name with commas: everything between uuid and the numeric tail belongs to the name
    const extra = Math.max(0, f.length - GPU_FIELDS.length);
    const name = f.slice(2, 3 + extra).join(', ');
    const tail = f.slice(3 + extra);
    const n = (i: number) => numberField(tail[i]);
    gpus.push({
      index: numberField(f[0]),
      uuid: textField(f[1]),
      name: textField(name),
      utilization_gpu_pct: n(0),
      utilization_memory_pct: n(1),
      memory_total_mib: n(2),
      memory_used_mib: n(3),
      temperature_c: n(4),
      power_draw_w: n(5),
      power_limit_w: n(6),
    });
  }
  return {
    gpus,
    none_reason: gpus.length === 0 && skipped === 0 ? 'nvidia-smi listed no GPUs' : null,
    skipped_lines: skipped,
  };
}
