// Application log lines in the structured forms that home-lab containers write, beside the Loghub
// sets in the throughput corpus: Docker's json-file records, logfmt (Go services, Grafana, Traefik),
// JSON (pino, zap, slog, bunyan) and timestamp-prefixed logfmt. Written for this benchmark; digits
// are replaced with fresh ones by the corpus generator, as for every other line.

const MESSAGES = [
  ['info', 'GET /api/items/1234 200 in 12ms'],
  ['info', 'POST /api/orders 201 in 48ms'],
  ['info', 'health check ok'],
  ['info', 'cache refreshed: 120 entries'],
  ['info', 'user 42 signed in'],
  ['warn', 'slow query took 2300ms'],
  ['warn', 'certificate for example.org expires in 12 days'],
  ['warn', 'retrying upstream call, attempt 3'],
  ['error', 'db connection refused: dial tcp 10.0.0.5:5432'],
  ['error', 'request failed: context deadline exceeded'],
  ['error', 'job 77 failed: exit status 1'],
  ['debug', 'worker 3 idle for 15s'],
] as const;

const PINO: Record<string, number> = { debug: 20, info: 30, warn: 40, error: 50 };
const esc = (s: string) => s.replace(/"/g, '\\"');

/** One line per message and form: 12 messages x 6 forms. */
export function appLines(): string[] {
  const out: string[] = [];
  MESSAGES.forEach(([level, msg], i) => {
    const ts = `2026-12-03T10:${String(i).padStart(2, '0')}:00.123Z`;
    const logfmt = `time=${ts} level=${level} msg="${esc(msg)}" service=api request_id=abc123${i}`;
    out.push(logfmt);
    out.push(`${ts} level=${level} msg="${esc(msg)}" component=worker`);
    out.push(JSON.stringify({ level: PINO[level], time: 1764756000123 + i, pid: 1, hostname: 'api-7d9f', msg }));
    out.push(
      JSON.stringify({ level, ts: 1764756000.123 + i, caller: 'server/handler.go:120', msg, request_id: `r-${i}00` }),
    );
    out.push(JSON.stringify({ time: ts, level: level.toUpperCase(), msg, attempt: i }));
    // Docker's json-file driver: the line as the container wrote it, inside a record
    out.push(
      JSON.stringify({
        log: `${logfmt}\n`,
        stream: level === 'error' ? 'stderr' : 'stdout',
        time: `2026-12-03T10:00:0${i % 10}.123456789Z`,
      }),
    );
  });
  return out;
}
