// Text renderings of tool results for hosts that hand the model only the text: every item named,
// nothing cut (lists page with a cursor instead). Structured content carries the same data.
import type { Static, TSchema } from '@sinclair/typebox';
import type * as lines from '../../service/container-lines.ts';
import type * as patterns from '../../service/error-patterns.ts';
import type * as gpu from '../../service/gpu.ts';
import type * as maps from '../../service/service-map.ts';
import type * as v from '../../service/view-schemas.ts';

type S<T extends TSchema> = Static<T>;

const short = (id: string) => id.slice(0, 12);
const n = (x: number | null, unit = '') => (x === null ? 'n/a' : `${x}${unit}`);

export const runLine = (r: S<typeof v.RunView>) =>
  `run ${r.id}: ${r.status}; tasks ${r.tasks.join(', ')}; ${r.tokens.total} tokens; created ${r.created_at}${r.schedule_id !== null ? ` by schedule ${r.schedule_id}` : ''}${r.error_summary ? `; problems: ${r.error_summary}` : ''}`;

export function runDetail(r: S<typeof v.RunDetail>): string {
  const out = [
    runLine(r),
    `directive: ${r.directive.name ? `${r.directive.name} v${r.directive.version} (${r.directive.level})` : 'custom instruction'}`,
  ];
  for (const j of r.jobs) {
    out.push(
      `job ${j.id} ${j.task}: ${j.status}${j.error ? ` (${j.error_code}: ${j.error})` : ''}${j.result ? `; result ${JSON.stringify(j.result)}` : ''}`,
    );
  }
  for (const a of r.artifacts) out.push(`artifact ${a.id} ${a.path} (${a.mime_type}, ${a.bytes} bytes)`);
  return out.join('\n');
}

export const directiveLine = (d: S<typeof v.DirectiveView>) =>
  `${d.id} ${d.name} (${d.level}, v${d.version}${d.active ? '' : ', inactive'}): ${d.title}`;
export const directive = (d: S<typeof v.DirectiveView>) =>
  `directive ${directiveLine(d)}${d.approval_required ? ' [runs need approval]' : ''}\n\n${d.body}`;

export const containerLine = (c: S<typeof v.ContainerView>) => {
  const ports = c.ports
    .map((p) =>
      p.public_port === null
        ? `${p.private_port}/${p.type}`
        : `${p.ip ?? ''}:${p.public_port}->${p.private_port}/${p.type}`,
    )
    .join(' ');
  const access = c.opted_out
    ? 'opted out'
    : c.allowlisted
      ? 'allowlisted'
      : c.allowlist
        ? 'allowlist entry disabled'
        : 'not allowlisted';
  return `${c.name} (${short(c.id)}): ${c.image}, ${c.state} (${c.status}); ${access}${ports ? `; ports ${ports}` : ''}`;
};

export const allowlistLine = (e: S<typeof v.AllowlistEntryView>) =>
  `${e.name} (${short(e.container_id)}): ${e.enabled ? 'enabled' : 'disabled'}, ${e.follow ? 'follows recreation' : 'fixed id'}, added by ${e.source}${e.description ? `; ${e.description}` : ''}${e.tags.length ? `; tags ${e.tags.join(', ')}` : ''}`;

export function logLines(r: lines.RecentLines): string {
  const body = r.lines.map((l) => `${l.ts} ${l.stream} ${l.text}`).join('\n');
  const head = `${r.lines.length} lines of ${r.container}${r.masked ? ` (${r.masked} values masked)` : ''}`;
  return `${head}${body ? `\n${body}` : ''}${r.more ? `\n(more lines follow: read on with since=${r.next_since})` : ''}`;
}

export function tokenStats(r: S<typeof v.TokenStatsView>): string {
  const row = (k: string, g: S<typeof v.TokenStatsView>['totals']) =>
    `${k}: ${g.total_tokens} tokens (${g.prompt_tokens} prompt, ${g.completion_tokens} completion) in ${g.calls} calls${g.error_calls ? `, ${g.error_calls} failed` : ''}${g.estimated_calls ? `, ${g.estimated_calls} estimated` : ''}`;
  const range = `${r.since ?? 'the beginning'} to ${r.until ?? 'now'}`;
  return [
    `by ${r.group_by}, ${range}:`,
    ...r.groups.map((g) => row(g.key ?? '(outside a run)', g)),
    row('total', r.totals),
  ].join('\n');
}

export function health(r: S<typeof v.HealthView>): string {
  if (!r.ready) return `not ready: ${r.reason ?? ''} ${r.message ?? ''}`.trim();
  const dep = (name: string, d: S<typeof v.HealthView>['docker']) =>
    `${name} ${d?.status ?? 'unknown'}${d?.detail ? ` (${d.detail})` : ''}`;
  return `ready: database ok (${r.database?.backend ?? '?'}); ${dep('docker', r.docker)}; ${dep('model', r.llm)}; auth ${r.auth.enabled ? 'on' : 'off'}`;
}

const newest = (r: { newest_run: { id: number; status: string } | null; run_id: number | null }) =>
  r.newest_run && r.newest_run.id !== r.run_id ? `\nthe newest run, ${r.newest_run.id}, is ${r.newest_run.status}` : '';

export function gpuLatest(r: gpu.GpuLatest): string {
  const rep = r.report;
  if (!rep) return `no GPU report yet${newest(r)}`;
  const out = [`GPU report from run ${r.run_id}, taken ${rep.generated_at}, source ${rep.source}`];
  if (rep.gpus.length === 0) out.push(`no GPU figures: ${rep.none_reason ?? 'no source answered'}`);
  for (const g of rep.gpus) {
    out.push(
      `GPU ${g.index ?? '?'} ${g.name ?? ''} (${g.uuid ?? 'no uuid'}): utilisation ${n(g.utilization_gpu_pct, ' %')}, memory ${n(g.memory_used_mib)} / ${n(g.memory_total_mib)} MiB, ` +
        `${n(g.temperature_c, ' °C')}, power ${n(g.power_draw_w)} / ${n(g.power_limit_w)} W`,
    );
  }
  for (const c of rep.attribution.containers)
    out.push(
      `container ${c.container}: ${n(c.vram_mib, ' MiB')} on ${c.gpus.join(', ')}; processes ${c.processes.map((p) => `${p.pid} ${p.process_name ?? '?'}`).join(', ')}`,
    );
  const loose = rep.attribution.unattributed;
  if (loose.processes.length)
    out.push(`not in an allowlisted container: ${loose.processes.length} processes, ${n(loose.vram_mib, ' MiB')}`);
  for (const h of rep.hotspots)
    out.push(`hotspot: GPU ${h.gpu_index ?? '?'} ${h.metric} ${h.value} at or above ${h.threshold}`);
  for (const a of rep.attempts) out.push(`source ${a.source}: ${a.outcome} (${a.detail})`);
  return out.join('\n') + newest(r);
}

export function gpuTrend(r: gpu.GpuTrend): string {
  if (r.points.length === 0) return 'no GPU samples yet';
  return r.points
    .map((p) => {
      const gpus = p.gpus
        .map(
          (g) =>
            `GPU ${g.gpu_index ?? '?'} ${n(g.utilization_gpu_pct, ' %')} util, ${n(g.memory_used_pct, ' %')} memory, ${n(g.temperature_c, ' °C')}`,
        )
        .join('; ');
      return `run ${p.run_id} at ${p.taken_at}: peak ${n(p.peak.utilization_gpu_pct, ' %')} util, ${n(p.peak.memory_used_pct, ' %')} memory, ${n(p.peak.temperature_c, ' °C')} (${gpus})`;
    })
    .join('\n');
}

export function serviceMap(r: maps.ServiceMapLatest): string {
  const m = r.map;
  if (!m) return `no service map yet${newest(r)}`;
  const out = [`service map from run ${r.run_id}, taken ${m.generated_at} on ${m.docker_host}, scope ${m.scope}`];
  for (const node of m.nodes) {
    const extra =
      node.type === 'container'
        ? ` ${[node.state, node.health].filter(Boolean).join(', ')}${node.allowlisted === false ? ' (metadata only)' : ''}`
        : '';
    out.push(`${node.type} ${node.label}${extra}`);
  }
  for (const e of m.edges)
    out.push(`edge ${e.kind}: ${e.from} -> ${e.to}${e.evidence.length ? ` (${e.evidence.join('; ')})` : ''}`);
  for (const x of m.exposures)
    out.push(`exposure ${x.container}: ${x.host_ip}:${x.host_port} -> ${x.container_port}/${x.proto} (${x.binding})`);
  for (const f of m.findings) out.push(`finding [${f.severity}] ${f.kind} ${f.subject}: ${f.message}`);
  return out.join('\n') + newest(r);
}

export function errorPatterns(r: patterns.ErrorPatternsNow): string {
  const newer = r.newer_run ? `; newer run ${r.newer_run.id} is ${r.newer_run.status}` : '';
  if (r.status === 'none') return `no log triage has finished yet${newer}`;
  const out = [`${r.state} error patterns from run ${r.run_id} (${r.generated_at})${newer}`];
  if (r.status === 'warning') out.push(`WARNING: ${r.status_reason ?? 'nothing to read'}; this is not an all-clear`);
  for (const c of r.containers) {
    const restarts = c.restarts ? `, restarts ${c.restarts.window} in the window (total ${c.restarts.total})` : '';
    out.push(
      `container ${c.container}: ${c.state ?? 'state unknown'}${c.crash_loop ? ', CRASH LOOP' : ''}${restarts}, ${c.errors} errors, ${c.warnings} warnings`,
    );
    for (const p of c.patterns) {
      const rate = p.per_hour === null ? '' : `, ${Math.round(p.per_hour * 10) / 10}/h`;
      out.push(
        `  #${p.rank} [${p.level}] ${p.status}${p.spike ? ' spike' : ''} ${p.kind} x${p.count}${rate}: ${p.template}`,
      );
    }
  }
  return out.join('\n');
}
