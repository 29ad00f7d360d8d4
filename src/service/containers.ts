// Containers on the Docker host: the live list (metadata for all, with each one's allowlist state) and
// the inside-reads, which go through the gateway and so are refused off the allowlist.
import { Type, type Static } from '@sinclair/typebox';
import { redactLabels } from '../docker/container-metadata.ts';
import { InvalidLogTimeError, type LogTime } from '../docker/log-window.ts';
import type { ContainerDetails, ContainerStats, ContainerSummary, ContainerTop, LogLine } from '../docker/types.ts';
import { allowLabel } from '../docker/types.ts';
import type { Config } from '../config.ts';
import { knownSecretsFor } from '../docker/known-secrets.ts';
import { badRequest } from '../errors.ts';
import { applianceSecrets, lineRedactor, type RedactionCounts } from '../redact/index.ts';
import * as store from '../store/allowlist.ts';
import { followRecreatedContainers } from './allowlist-follow.ts';
import type { DockerContext } from './context.ts';

export const ContainerScope = Type.Union([Type.Literal('all'), Type.Literal('allowlist')], { default: 'all' });
export type ContainerScope = Static<typeof ContainerScope>;

export interface ContainerView extends ContainerSummary {
  /** True when its insides may be read: an enabled entry and no opt-out label. */
  allowlisted: boolean;
  allowlist: { enabled: boolean; follow: boolean; source: store.AllowlistSource } | null;
  opted_out: boolean;
}

/** The live containers with their allowlist state; label values of those off the allowlist are hidden
 * (keys and a safe set stay: container-metadata.ts). */
export async function listContainers(ctx: DockerContext, scope: ContainerScope = 'all'): Promise<ContainerView[]> {
  const live = await ctx.docker.listContainers();
  await followRecreatedContainers(ctx, live); // so a just-recreated container shows as allowlisted
  const entries = new Map((await store.listAllowlist(ctx.db.sql)).map((e) => [e.container_id, e]));
  const out: ContainerView[] = [];
  for (const c of live) {
    const e = entries.get(c.id);
    if (scope === 'allowlist' && !e) continue;
    const optedOut = allowLabel(c.labels) === false;
    const allowlisted = !!e && e.enabled && !optedOut;
    out.push({
      ...c,
      labels: allowlisted ? c.labels : redactLabels(c.labels),
      allowlisted,
      allowlist: e ? { enabled: e.enabled, follow: e.follow, source: e.source } : null,
      opted_out: optedOut,
    });
  }
  return out;
}

export async function inspectContainer(ctx: DockerContext, ref: string): Promise<ContainerDetails> {
  return ctx.docker.inspect(ref);
}

export async function containerTop(ctx: DockerContext, ref: string): Promise<ContainerTop> {
  return ctx.docker.top(ref);
}

export async function containerStats(ctx: DockerContext, ref: string): Promise<ContainerStats> {
  return ctx.docker.stats(ref);
}

export const MAX_LOG_LINES = 10_000;

export interface ReadLogsInput {
  since?: LogTime;
  until?: LogTime;
  tail?: number;
  limit?: number;
  signal?: AbortSignal;
}

export interface LogsView {
  lines: LogLine[];
  /** True when more lines were in the window than the limit let through. */
  more: boolean;
}

/**
 * A window of a container's log, at most `limit` lines (the first ones; use tail for the last ones),
 * each line through the redaction step, with the container's env values and the appliance's secrets
 * as known values (`config`, where the caller has one).
 */
export async function readContainerLogs(ctx: LogsContext, ref: string, input: ReadLogsInput): Promise<LogsView> {
  const { lines, more } = await readRedactedLogs(ctx, ref, input);
  return { lines, more };
}

export type LogsContext = DockerContext & { config?: Pick<Config, 'token' | 'databaseUrl' | 'llm'> };

/** readContainerLogs, with what the redaction masked in the lines returned, per kind. */
export async function readRedactedLogs(
  ctx: LogsContext,
  ref: string,
  input: ReadLogsInput,
): Promise<LogsView & { masked: RedactionCounts }> {
  const limit = Math.min(input.limit ?? 1000, MAX_LOG_LINES);
  const lines: LogLine[] = [];
  let more = false;
  let masked: RedactionCounts = {};
  try {
    // the env read goes through the allowlist check too: a refused container fails here, as it would below
    const known = await knownSecretsFor(ctx.docker, [ref], ctx.config ? applianceSecrets(ctx.config) : [], {
      aliases: false,
    });
    const redactor = lineRedactor(known);
    masked = redactor.counts;
    for await (const line of ctx.docker.logs(ref, {
      since: input.since,
      until: input.until,
      tail: input.tail,
      signal: input.signal,
    })) {
      if (lines.length >= limit) {
        more = true;
        break;
      }
      lines.push({ ...line, text: redactor.line(line.text) });
    }
  } catch (err) {
    if (err instanceof InvalidLogTimeError) throw badRequest(`since/until: ${err.message}`);
    throw err;
  }
  return { lines, more, masked };
}
