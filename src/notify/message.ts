// One grouped notification as every destination kind receives it, and what a send attempt returns.

export type Severity = 'info' | 'warning' | 'error' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error', 'critical'];
export const severityRank = (s: string): number => Math.max(0, SEVERITIES.indexOf(s as Severity));

export interface MessageItem {
  event: string;
  severity: Severity;
  container: string | null;
  /** One line: "webapp: new error ×148 'connection refused to <*>' since 12:22". */
  line: string;
  count: number;
  first_seen: string;
  run_id: number | null;
}

export interface Message {
  /** The idempotency key: receivers may drop a second delivery of the same id. */
  id: string;
  /** The most severe item's event. */
  event: string;
  severity: Severity;
  host: string;
  /** The container's name when every item is about one container, else null. */
  container: string | null;
  title: string;
  text: string;
  /** Occurrences over all items. */
  count: number;
  first_seen: string;
  run_id: number | null;
  /** The run page (or the app) under the public base URL; null when none is set. */
  url: string | null;
  items: MessageItem[];
}

export interface SendResult {
  ok: boolean;
  /** HTTP status or SMTP reply code. */
  status: number | null;
  /** A short reason of our own: never a URL, a secret or the receiver's body. */
  error: string | null;
}

/** Send attempts give up after this long. */
export const SEND_TIMEOUT_MS = 10_000;

/** A failed fetch as a short code: "timeout", "connection_refused", ... (Bun's messages may quote the URL). */
export function fetchErrorCode(err: unknown): string {
  const e = err as { name?: string; code?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  const code = typeof e?.code === 'string' ? e.code : '';
  if (/refused/i.test(code)) return 'connection_refused';
  if (/reset/i.test(code)) return 'connection_reset';
  if (/cert|tls|ssl/i.test(code)) return 'tls_error';
  if (/notfound|enotfound|dns/i.test(code)) return 'host_not_found';
  return code
    ? code
        .toLowerCase()
        .replace(/[^a-z0-9_]/g, '_')
        .slice(0, 40)
    : 'network_error';
}

/** POSTs and turns the answer into a SendResult; the body of the answer is read and dropped. */
export async function post(url: string, init: { headers: Record<string, string>; body: string }): Promise<SendResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok
      ? { ok: true, status: res.status, error: null }
      : { ok: false, status: res.status, error: `http_${res.status}` };
  } catch (err) {
    return { ok: false, status: null, error: fetchErrorCode(err) };
  }
}

/** Cuts text to n characters with an ellipsis. */
export const cut = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
