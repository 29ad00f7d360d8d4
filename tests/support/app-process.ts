// Starts the real appliance as a child process (for restarts, signals, start-up failures).
import type { Subprocess } from 'bun';
import { join } from 'node:path';

const ROOT = join(import.meta.dir, '..', '..');
const MAIN = join(ROOT, 'src', 'main.ts');
/** The same process with the test tasks registered. */
export const TEST_MAIN = join(ROOT, 'tests', 'support', 'test-main.ts');

export type Env = Record<string, string | undefined>;

/** A clean environment: nothing from the test run leaks in (no DATABASE_URL unless given). */
function processEnv(env: Env): Record<string, string> {
  const base: Env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...base, ...env })) if (v !== undefined) out[k] = v;
  return out;
}

export interface AppProcess {
  proc: Subprocess<'ignore', 'pipe', 'pipe'>;
  url: string;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

async function collect(stream: ReadableStream<Uint8Array>, sink: { text: string }, onText: () => void) {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    sink.text += decoder.decode(value, { stream: true });
    onText();
  }
}

export async function startAppProcess(
  env: Env,
  options: { timeoutMs?: number; args?: string[]; entry?: string } = {},
): Promise<AppProcess> {
  const proc = Bun.spawn(['bun', options.entry ?? MAIN, ...(options.args ?? ['serve'])], {
    cwd: ROOT,
    env: processEnv(env),
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const out = { text: '' };
  let wake = () => {};
  const changed = () => wake();
  void collect(proc.stdout, out, changed);
  void collect(proc.stderr, out, changed);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let url: string | undefined;
  while (!url) {
    const m = /"msg":"listening","url":"([^"]+)"/.exec(out.text);
    if (m) {
      url = m[1]!;
      break;
    }
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`app exited (${proc.exitCode ?? proc.signalCode}) before listening:\n${out.text}`);
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`app did not listen in time:\n${out.text}`);
    }
    await Promise.race([new Promise<void>((r) => (wake = r)), Bun.sleep(100), proc.exited]);
  }
  return {
    proc,
    url,
    output: () => out.text,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const code = await proc.exited;
      await Bun.sleep(20); // let the output readers drain
      return code;
    },
  };
}

/** Runs the app with a command that is expected to end by itself (start failures, migrate). */
export async function runAppCommand(env: Env, args: string[] = ['serve'], timeoutMs = 60_000) {
  const proc = Bun.spawn(['bun', MAIN, ...args], {
    cwd: ROOT,
    env: processEnv(env),
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  const [exitCode, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  clearTimeout(timer);
  return { exitCode, stdout, stderr };
}
