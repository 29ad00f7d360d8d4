// Parses `nvidia-smi --query-compute-apps=gpu_uuid,pid,process_name,used_memory --format=csv,noheader,nounits`.
// With MIG the gpu_uuid may be a MIG device's (MIG-...), and used_memory is often [N/A] there.
import { csvRecords, numberField, textField } from './nvidia-csv.ts';

export const APP_FIELDS = ['gpu_uuid', 'pid', 'process_name', 'used_memory'] as const;

export interface ComputeApp {
  gpu_uuid: string | null;
  pid: number;
  process_name: string | null;
  used_memory_mib: number | null;
  /** True when gpu_uuid names a MIG device rather than a whole GPU. */
  mig: boolean;
}

export function parseComputeAppsCsv(text: string): { apps: ComputeApp[]; skipped_lines: number } {
  const apps: ComputeApp[] = [];
  let skipped = 0;
  for (const f of csvRecords(text)) {
    const pid = numberField(f[1]);
    if (pid === null || !Number.isInteger(pid) || pid <= 0) {
      // "No running processes found" and other prose lands here
      if (!/^No running processes/i.test(f.join(','))) skipped++;
      continue;
    }
    // a process name with commas: everything between pid and the last field
    const name = f.length > 4 ? f.slice(2, -1).join(', ') : f[2];
    const mem = f.length > 4 ? f[f.length - 1] : f[3];
    const uuid = textField(f[0]);
    apps.push({
      gpu_uuid: uuid,
      pid,
      process_name: textField(name),
      used_memory_mib: numberField(mem),
      mig: uuid?.startsWith('MIG-') === true,
    });
  }
  return { apps, skipped_lines: skipped };
}
