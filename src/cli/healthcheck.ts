// `cyber-brain healthcheck`: GET /healthz of the server this environment configures (HOST, PORT) and
// exit 0 when it answers {"status":"ok"}, 1 otherwise; for images without curl (the Dockerfile's
// HEALTHCHECK). Reads only HOST and PORT and imports nothing, so it stays cheap enough to run every
// few seconds (loading config.ts and its schema library would double its CPU time).

/** The defaults of HOST and PORT in src/config.ts (a unit test keeps them equal). */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = '9595';

export const HEALTHCHECK_TIMEOUT_MS = 2000;

/** Where the server listens, as seen from the same machine: a wildcard bind is reached on loopback. */
export function healthzUrl(env: Record<string, string | undefined>): string {
  const host = (env.HOST || DEFAULT_HOST).trim();
  const rawPort = (env.PORT || DEFAULT_PORT).trim();
  const port = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : NaN;
  if (!(port >= 1 && port <= 65535))
    throw new Error(`PORT=${JSON.stringify(rawPort)} names no port to check (expected 1 to 65535)`);
  const bare = host.replace(/^\[|\]$/g, '');
  const target = bare === '0.0.0.0' || bare === '::' || bare === '' ? '127.0.0.1' : bare;
  return `http://${target.includes(':') ? `[${target}]` : target}:${port}/healthz`;
}

/** Returns the exit status; says why on stderr when it is not 0. */
export async function healthcheck(
  env: Record<string, string | undefined>,
  timeoutMs = HEALTHCHECK_TIMEOUT_MS,
): Promise<number> {
  let url: string;
  try {
    url = healthzUrl(env);
  } catch (err) {
    process.stderr.write(`healthcheck: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    const body = (await res.json().catch(() => undefined)) as { status?: unknown } | undefined;
    if (res.status === 200 && body?.status === 'ok') return 0;
    process.stderr.write(`healthcheck: ${url} answered ${res.status}\n`);
  } catch (err) {
    const e = err as Error & { code?: string };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.code ?? e.message);
    process.stderr.write(`healthcheck: ${url}: ${why}\n`);
  }
  return 1;
}
