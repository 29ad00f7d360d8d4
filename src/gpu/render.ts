// gpu_report.md: source chain, GPUs, per-container VRAM, unattributed usage, hotspots and trend.
import type { GpuReport } from './report.ts';

const n = (v: number | null | undefined, unit = '') => (v === null || v === undefined ? 'n/a' : `${v}${unit}`);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderGpuMarkdown(r: GpuReport): string {
  const l: string[] = [`### GPU report at ${r.generated_at}`, ''];
  l.push(`Source: **${r.source}**.`, '', '| source | outcome | detail |', '|---|---|---|');
  for (const a of r.attempts) l.push(`| ${a.source} | ${a.outcome} | ${cell(a.detail)} |`);
  l.push('');
  if (r.gpus.length === 0) {
    l.push(`No GPU figures: ${cell(r.none_reason ?? 'no source answered')}.`);
    return l.join('\n') + '\n';
  }
  l.push(
    '#### GPUs',
    '',
    '| # | name | util % | mem util % | memory MiB | temp °C | power W |',
    '|---|---|---|---|---|---|---|',
  );
  for (const g of r.gpus) {
    l.push(
      `| ${n(g.index)} | ${cell(g.name ?? 'unknown')} | ${n(g.utilization_gpu_pct)} | ${n(g.utilization_memory_pct)} | ${n(g.memory_used_mib)} / ${n(g.memory_total_mib)} | ${n(g.temperature_c)} | ${n(g.power_draw_w)} / ${n(g.power_limit_w)} |`,
    );
  }
  l.push('', '#### VRAM per container', '');
  if (r.attribution.containers.length === 0) l.push('No compute process belongs to an allowlisted container.');
  else {
    l.push('| container | VRAM MiB | processes |', '|---|---|---|');
    for (const c of r.attribution.containers)
      l.push(
        `| ${cell(c.container)} | ${n(c.vram_mib)} | ${c.processes.map((p) => `${p.pid} ${cell(p.process_name ?? '?')}`).join(', ')} |`,
      );
  }
  const u = r.attribution.unattributed;
  if (u.processes.length > 0)
    l.push(
      '',
      `Unattributed: ${u.processes.length} processes, ${n(u.vram_mib)} MiB (not in any allowlisted container, or on the host).`,
    );
  l.push('', '#### Hotspots', '');
  if (r.hotspots.length === 0)
    l.push(
      `None (thresholds: utilisation ≥ ${r.thresholds.utilization_pct} %, memory ≥ ${r.thresholds.memory_pct} %, temperature ≥ ${r.thresholds.temperature_c} °C).`,
    );
  else for (const h of r.hotspots) l.push(`- GPU ${n(h.gpu_index)}: ${h.metric} ${h.value} ≥ ${h.threshold}`);
  l.push('', '#### Trend', '');
  if (r.trend.length === 0) l.push('No earlier samples.');
  else {
    l.push('| GPU | run | at | util % | memory MiB | temp °C |', '|---|---|---|---|---|---|');
    for (const t of r.trend)
      l.push(
        `| ${n(t.gpu_index)} | ${t.run_id} | ${t.taken_at} | ${n(t.utilization_gpu_pct)} | ${n(t.memory_used_mib)} | ${n(t.temperature_c)} |`,
      );
  }
  return l.join('\n') + '\n';
}
