// Docker for tests: the daemon in DOCKER_HOST (CI starts a private one). Unreachable -> tests skip and
// say why, or FAIL when CB_REQUIRE_DOCKER=1. The test image is built locally FROM scratch with Debian's
// static busybox: no registry is needed or reachable.
import { existsSync, mkdtempSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_IMAGE = 'cyber-brain-test/busybox:1';
const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));

export function dockerHost(): string {
  return process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
}

/** Runs the docker CLI against the test daemon. */
export function dockerCli(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = Bun.spawnSync(['docker', '-H', dockerHost(), ...args], {
    stdin: input === undefined ? 'ignore' : Buffer.from(input),
    stdout: 'pipe',
    stderr: 'pipe',
  });
  return { code: r.exitCode ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

let availability: { ok: boolean; why: string } | undefined;

function probe(): { ok: boolean; why: string } {
  if (!Bun.which('docker')) return { ok: false, why: 'the docker CLI is not installed' };
  const r = dockerCli(['version', '--format', '{{.Server.Version}}']);
  if (r.code !== 0)
    return { ok: false, why: `no Docker daemon at ${dockerHost()} (${r.stderr.trim().split('\n').pop()})` };
  return { ok: true, why: '' };
}

/** True when Docker tests can run; throws under CB_REQUIRE_DOCKER=1 when they cannot. */
export function hasDocker(what: string): boolean {
  availability ??= probe();
  if (availability.ok) return true;
  if (process.env.CB_REQUIRE_DOCKER === '1') throw new Error(`${what}: CB_REQUIRE_DOCKER=1 but ${availability.why}`);
  console.warn(`skipping ${what}: ${availability.why} (scripts/services.sh up starts a private daemon)`);
  return false;
}

/** Builds the busybox test image once per daemon (no network during the build). */
export function ensureTestImage(): string {
  if (dockerCli(['image', 'inspect', TEST_IMAGE]).code === 0) return TEST_IMAGE;
  if (!BUSYBOX) throw new Error('static busybox not found (apt-get install busybox-static)');
  const dir = mkdtempSync(join(tmpdir(), 'cb-image-'));
  try {
    copyFileSync(BUSYBOX, join(dir, 'busybox'));
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["/bin/sh"]\n',
    );
    const r = dockerCli(['build', '--network=none', '-q', '-t', TEST_IMAGE, dir]);
    if (r.code !== 0) throw new Error(`building ${TEST_IMAGE} failed: ${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return TEST_IMAGE;
}

/** Starts a test container with no network; returns its id. Labels mark it for cleanup. */
export function runTestContainer(opts: {
  name?: string;
  cmd: string[];
  tty?: boolean;
  labels?: Record<string, string>;
  env?: Record<string, string>;
  image?: string;
  /** Docker's restart policy ("always", "on-failure:5"). */
  restart?: string;
}): string {
  const args = ['run', '-d', '--network', 'none', '--label', 'cyber-brain-test=1'];
  if (opts.restart) args.push('--restart', opts.restart);
  if (opts.name) args.push('--name', opts.name);
  if (opts.tty) args.push('-t');
  for (const [k, v] of Object.entries(opts.labels ?? {})) args.push('--label', `${k}=${v}`);
  for (const [k, v] of Object.entries(opts.env ?? {})) args.push('--env', `${k}=${v}`);
  const r = dockerCli([...args, opts.image ?? ensureTestImage(), ...opts.cmd]);
  if (r.code !== 0) throw new Error(`docker run failed: ${r.stderr}`);
  return r.stdout.trim();
}

export function removeContainers(ids: string[]): void {
  if (ids.length) dockerCli(['rm', '-f', ...ids]);
}

/** A container name no other test run on the shared daemon will use. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export const ALT_TEST_IMAGE = 'cyber-brain-test/busybox:2';

/** A second local image (another image id) built on the first, for "recreated with another image". */
export function ensureAltTestImage(): string {
  if (dockerCli(['image', 'inspect', ALT_TEST_IMAGE]).code === 0) return ALT_TEST_IMAGE;
  const dir = mkdtempSync(join(tmpdir(), 'cb-image-'));
  try {
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${ensureTestImage()}\nLABEL cyber-brain-test.variant=2\n`);
    const r = dockerCli(['build', '--network=none', '-q', '-t', ALT_TEST_IMAGE, dir]);
    if (r.code !== 0) throw new Error(`building ${ALT_TEST_IMAGE} failed: ${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return ALT_TEST_IMAGE;
}
