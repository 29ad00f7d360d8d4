// The image leg of CI (`bun run test:image` sets CB_IMAGE_CHECK=1): builds the binary and the REAL Dockerfile and runs
// both. Elsewhere these tests skip and say why; with CB_IMAGE_CHECK=1 a missing Docker daemon, base image
// or tool FAILS them instead.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { dockerCli, dockerHost } from '../support/docker.ts';

export const ROOT = join(import.meta.dir, '..', '..');
export const IMAGE_CHECK = process.env.CB_IMAGE_CHECK === '1';

/** True when the image checks run here; otherwise says why they skip. */
export function imageCheck(what: string): boolean {
  if (IMAGE_CHECK) return true;
  console.warn(
    `skipping ${what}: run it with bun run test:image (CI's image leg does; the Docker checks need scripts/services.sh up and scripts/image-bases.sh)`,
  );
  return false;
}

/** A loopback port nobody listens on right now. */
export function freePort(): number {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

/** The default of an ARG in the Dockerfile (the base image names the stand-ins are tagged with). */
export async function dockerfileArg(name: string): Promise<string> {
  const text = await Bun.file(join(ROOT, 'Dockerfile')).text();
  const m = new RegExp(`^ARG ${name}=(\\S+)`, 'm').exec(text);
  if (!m) throw new Error(`Dockerfile has no ARG ${name}=...`);
  return m[1]!;
}

/** Throws unless the daemon answers (the image leg must fail, not skip, without one). */
export function requireDocker(): void {
  const r = dockerCli(['version', '--format', '{{.Server.Version}}']);
  if (r.code !== 0)
    throw new Error(
      `CB_IMAGE_CHECK=1 but no Docker daemon answers at ${dockerHost()}: ${r.stderr.trim().split('\n').pop()}`,
    );
}

/** The group owning the daemon's unix socket, so the image's user can be given access to it. */
export function socketPathAndGroup(): { path: string; gid: number } {
  const host = dockerHost();
  if (!host.startsWith('unix://'))
    throw new Error(`the image checks mount the daemon's unix socket; DOCKER_HOST is ${host}`);
  const path = host.slice('unix://'.length);
  return { path, gid: statSync(path).gid };
}

/** docker CLI run that must succeed; the error carries its output. */
export function docker(args: string[], input?: string): string {
  const r = dockerCli(args, input);
  if (r.code !== 0)
    throw new Error(
      `docker ${args.slice(0, 3).join(' ')} ... failed (${r.code}): ${(r.stderr || r.stdout).trim().slice(-2000)}`,
    );
  return r.stdout.trim();
}

export interface Answer {
  status: number;
  text: string;
  json: any;
}

/** A request to a running appliance with the admin token. */
export async function call(base: string, token: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let v: T | undefined | false;
    try {
      v = await check();
    } catch {
      v = undefined; // not up yet: refused connections and the like are asked again
    }
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(everyMs);
  }
}

/** Launches a log triage of one allowlisted container through the REST API and waits for its end. */
export async function triageThroughApi(
  base: string,
  token: string,
  container: string,
  timeoutMs = 90_000,
): Promise<{ run: any; report: Answer }> {
  const allow = await call(base, token, 'POST', '/api/allowlist', { container });
  if (allow.status !== 201 && allow.status !== 200)
    throw new Error(`allowlisting ${container}: ${allow.status} ${allow.text}`);
  const launched = await call(base, token, 'POST', '/api/runs', {
    tasks: ['log_triage'],
    options: { log_triage: { containers: [container] } },
  });
  if (launched.status !== 201) throw new Error(`launching a log triage: ${launched.status} ${launched.text}`);
  const run = await waitUntil(
    'the log triage run to end',
    async () => {
      const r = await call(base, token, 'GET', `/api/runs/${launched.json.id}`);
      return ['success', 'partial', 'failed', 'cancelled'].includes(r.json?.status) ? r.json : undefined;
    },
    timeoutMs,
    250,
  );
  const report = await call(base, token, 'GET', `/api/runs/${run.id}/report`);
  return { run, report };
}
