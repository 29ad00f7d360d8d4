// Reads one container's window [since, until) through the gateway and streams it into the triage,
// one line at a time (a log is never held whole). Past `maxLines` the lines are only counted, so the
// window's size is still known and the truncation can be reported.
import type { DockerGateway } from '../docker/gateway.ts';
import type { KnownValues } from '../redact/index.ts';
import { createTriage, type TriageResult } from '../triage/index.ts';

export interface WindowRead {
  lines: number;
  triagedLines: number;
  bytes: number;
  truncated: boolean;
  result: TriageResult;
}

export async function readWindow(
  docker: DockerGateway,
  containerId: string,
  window: { since: Date; until: Date },
  maxLines: number,
  signal: AbortSignal,
  knownValues?: KnownValues,
): Promise<WindowRead> {
  const triage = createTriage(knownValues ? { knownValues } : {});
  let lines = 0;
  let bytes = 0;
  for await (const line of docker.logs(containerId, { since: window.since, until: window.until, signal })) {
    lines++;
    bytes += Buffer.byteLength(line.text) + 1;
    if (lines <= maxLines) triage.push({ ts: line.ts, stream: line.stream, text: line.text });
  }
  return {
    lines,
    triagedLines: Math.min(lines, maxLines),
    bytes,
    truncated: lines > maxLines,
    result: triage.finish(),
  };
}
