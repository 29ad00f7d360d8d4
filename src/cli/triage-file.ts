// `cli.ts triage --input FILE [--json]`: the triage of a log file without a database or Docker: the
// same ranking, digest and report as the log_triage task (every pattern is `new`: there is no memory),
// and the model's analysis when LLM_BASE_URL is set (one direct call, redacted, nothing recorded).
import { basename } from 'node:path';
import { loadConfig } from '../config.ts';
import { postChatCompletion } from '../llm/attempt.ts';
import { applianceSecrets, knownValueMatcher } from '../redact/index.ts';
import { apiUrl } from '../llm/endpoint.ts';
import { createTriage } from '../triage/index.ts';
import { parseLine } from '../triage/parse-line.ts';
import { judgeAgainstMemory } from '../triage/run-memory.ts';
import { analyse, type ChatOutcome } from '../tasks/log-triage-analysis.ts';
import { rankAllContainers } from '../tasks/log-triage-findings.ts';
import {
  countsOf,
  REPORT_SCHEMA,
  REPORT_VERSION,
  renderMarkdown,
  type LogTriageReport,
} from '../tasks/log-triage-report.ts';

/** The built-in D1 directive: describe and diagnose only. */
const DIRECTIVE =
  'Explain what the findings show and what most likely caused them. Only describe and diagnose; do not propose changes to the host or its containers.';

// the first ISO-like time of a header; a header may hold two (`docker logs -t` before the app's own)
const ISO_TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?/;

export async function triageFile(
  path: string,
  lines: AsyncIterable<string>,
  env: Record<string, string | undefined>,
): Promise<LogTriageReport> {
  const config = loadConfig(env);
  // this process's own secrets are masked wherever the file shows them (there is no container env here)
  const triage = createTriage({ knownValues: knownValueMatcher(applianceSecrets(config)) });
  let count = 0;
  let bytes = 0;
  let first: string | undefined;
  let last: string | undefined;
  for await (const text of lines) {
    count++;
    bytes += Buffer.byteLength(text) + 1;
    // the line's own header time, where it has an ISO-like one, gives per-minute counts and first/last seen
    const time = parseLine(text).time;
    const ts = time ? ISO_TIME.exec(time)?.[0] : undefined;
    if (ts) {
      first ??= ts;
      last = ts;
    }
    triage.push(ts ? { ts, text } : { text });
  }
  const r = triage.finish();
  const name = basename(path);
  const verdict = judgeAgainstMemory(
    r.templates.map((t) => ({ fingerprint: t.fingerprint, level: t.level, count: t.count })),
    [],
    [],
    0,
  );
  const ranked = rankAllContainers([
    {
      container: name,
      findings: r.findings,
      templates: r.templates,
      status: verdict.status,
      spikes: verdict.spikes,
      events: [],
    },
  ]);
  const findings = ranked.findings;
  const { baseUrl, model, apiKey, timeoutMs, contextTokens } = config.llm;
  const chat = async (
    messages: Parameters<typeof postChatCompletion>[0]['messages'],
    maxTokens: number,
  ): Promise<ChatOutcome> => {
    const a = await postChatCompletion({
      url: apiUrl(baseUrl!, 'chat/completions'),
      apiKey,
      model,
      messages,
      maxTokens,
      temperature: 0.2,
      timeoutMs,
    });
    if (!a.ok) return { ok: false, reason: a.kind };
    const u = a.usage;
    return {
      ok: true,
      text: a.text,
      usage: { prompt: u?.promptTokens ?? 0, completion: u?.completionTokens ?? 0, total: u?.totalTokens ?? 0 },
    };
  };
  const out = await analyse({
    directive: DIRECTIVE,
    contextTokens,
    model: baseUrl ? model : null,
    chat,
    findings,
    templates: new Map(r.templates.map((t) => [`${name}\u0000${t.fingerprint}`, t] as const)),
    totals: { lines: count, templates: r.templates.length, containers: [name] },
  });
  return {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    run_id: null,
    job_id: null,
    generated_at: new Date().toISOString(),
    directive: {
      name: 'read-only-diagnostics',
      version: null,
      sha256: new Bun.CryptoHasher('sha256').update(DIRECTIVE).digest('hex'),
    },
    ...(count === 0
      ? { status: 'warning' as const, status_reason: 'nothing to read: the input has no lines' }
      : { status: 'ok' as const, status_reason: null }),
    nothing_new: count === 0,
    containers: [
      {
        name,
        id: '',
        status: 'ok',
        error_code: null,
        window: {
          since: first ?? '',
          until: last ?? '',
          first_window: true,
          lines: count,
          triaged_lines: count,
          bytes,
          truncated: false,
        },
        counts: countsOf(r, verdict),
        container: null,
        events: [],
        resolved: [],
      },
    ],
    findings,
    findings_total: ranked.total,
    ...out,
    redactions: Object.fromEntries(Object.entries(r.redactions).map(([k, n]) => [k, n ?? 0])),
  };
}

export { renderMarkdown };
