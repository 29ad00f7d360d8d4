// services.md: a Mermaid flowchart and tables. Every name is from Docker metadata; Mermaid labels are
// quoted and stripped of characters that would break the diagram.
import type { ServiceMap } from './types.ts';

const mid = (id: string) => `n_${id.replace(/[^A-Za-z0-9]/g, '_')}`;
const label = (s: string) => s.replace(/["<>`|\[\]{}]/g, '');
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const SHAPES = { container: ['[', ']'], network: ['([', '])'], volume: ['[(', ')]'], port: ['{{', '}}'] } as const;

export function renderServiceMapMarkdown(
  map: ServiceMap,
  meta: { runId: number; dockerHost: string; takenAt: string },
): string {
  const lines: string[] = [];
  lines.push(`### Service map (${map.scope}) of ${cell(meta.dockerHost)} at ${meta.takenAt}`, '');
  const containers = map.nodes.filter((n) => n.type === 'container');
  lines.push(
    `${containers.length} containers, ${map.nodes.length - containers.length} other nodes, ${map.edges.length} edges, ${map.findings.length} findings.`,
    '',
  );
  lines.push('```mermaid', 'flowchart LR');
  for (const n of map.nodes) {
    const [a, b] = SHAPES[n.type];
    lines.push(`  ${mid(n.id)}${a}"${label(n.type === 'container' ? n.label : `${n.type}: ${n.label}`)}"${b}`);
  }
  for (const e of map.edges)
    lines.push(
      `  ${mid(e.from)} ${e.kind === 'network' || e.kind === 'volume' ? '---' : '-->'}|${e.kind}| ${mid(e.to)}`,
    );
  lines.push('```', '');
  lines.push('#### Findings', '');
  if (map.findings.length === 0) lines.push('None.');
  else {
    lines.push('| severity | kind | subject | detail |', '|---|---|---|---|');
    for (const f of map.findings) lines.push(`| ${f.severity} | ${f.kind} | ${cell(f.subject)} | ${cell(f.message)} |`);
  }
  lines.push(
    '',
    '#### Containers',
    '',
    '| container | allowlisted | state | health | restarts | compose |',
    '|---|---|---|---|---|---|',
  );
  for (const n of containers)
    lines.push(
      `| ${cell(n.label)} | ${n.allowlisted ? 'yes' : 'metadata only'} | ${n.state ?? ''} | ${n.health ?? ''} | ${n.restart_count ?? 0} | ${cell([n.compose_project, n.compose_service].filter(Boolean).join('/'))} |`,
    );
  lines.push('', '#### Edges', '', '| from | to | kind | evidence |', '|---|---|---|---|');
  for (const e of map.edges)
    lines.push(`| ${cell(e.from)} | ${cell(e.to)} | ${e.kind} | ${cell(e.evidence.join('; '))} |`);
  lines.push('', '#### Exposures', '');
  if (map.exposures.length === 0) lines.push('No published ports.');
  else {
    lines.push('| container | host | container port | binding |', '|---|---|---|---|');
    for (const x of map.exposures)
      lines.push(
        `| ${cell(x.container)} | ${x.host_ip}:${x.host_port} | ${x.container_port}/${x.proto} | ${x.binding} |`,
      );
  }
  return lines.join('\n') + '\n';
}
