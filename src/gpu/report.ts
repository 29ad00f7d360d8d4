// The GPU report's data (what gpu_report.json holds), assembled from parsed readouts. Pure.
import { attributeApps, type Attribution, type ContainerPids } from './attribution.ts';
import { findHotspots, type Hotspot, type HotspotThresholds } from './hotspots.ts';
import { parseComputeAppsCsv } from './parse-apps.ts';
import { parseGpuCsv, type GpuRow } from './parse-gpus.ts';
import type { GpuReadout, SourceAttempt, SourceName } from './sources.ts';

export interface TrendPoint {
  gpu_uuid: string;
  gpu_index: number | null;
  run_id: number;
  taken_at: string;
  utilization_gpu_pct: number | null;
  memory_used_mib: number | null;
  temperature_c: number | null;
}

export interface GpuReport {
  generated_at: string;
  source: SourceName;
  attempts: SourceAttempt[];
  none_reason: string | null;
  gpus: GpuRow[];
  attribution: Attribution;
  thresholds: HotspotThresholds;
  hotspots: Hotspot[];
  trend: TrendPoint[];
  skipped_lines: number;
}

export function buildGpuReport(
  readout: GpuReadout,
  containers: ContainerPids[],
  thresholds: HotspotThresholds,
  at: Date,
): Omit<GpuReport, 'trend'> {
  const gpus = parseGpuCsv(readout.gpuCsv);
  const apps = parseComputeAppsCsv(readout.appsCsv);
  return {
    generated_at: at.toISOString(),
    source: readout.source,
    attempts: readout.attempts,
    none_reason: readout.source === 'none' ? readout.attempts[readout.attempts.length - 1]!.detail : gpus.none_reason,
    gpus: gpus.gpus,
    attribution: attributeApps(apps.apps, containers),
    thresholds,
    hotspots: findHotspots(gpus.gpus, thresholds),
    skipped_lines: gpus.skipped_lines + apps.skipped_lines,
  };
}

/** The key a GPU's samples are kept under: its UUID, else its index. */
export const gpuKey = (g: GpuRow) => g.uuid ?? `index:${g.index ?? '?'}`;
