// Levels in the line forms that home-lab services write. Every line here was written for this table
// in the shape its service prints (not copied from a log); the expected level is what an operator
// reading the line would say. Some include `docker logs -t` prefixes, colours or leading timestamps.
import { describe, expect, test } from 'bun:test';
import { parseLine } from '../../src/triage/parse-line.ts';
import { assessSeverity, guessLevel } from '../../src/triage/severity.ts';
import type { Level } from '../../src/triage/log-level.ts';

const E = '\u001b';

// [service / form, line, level]
const TABLE: [string, string, Level | undefined][] = [
  [
    'nginx error log',
    '2026/12/03 10:00:00 [error] 29#29: *7 upstream timed out (110: Connection timed out) while reading response header from upstream',
    'error',
  ],
  [
    'nginx warn',
    '2026/12/03 10:00:00 [warn] 1#1: conflicting server name "example.org" on 0.0.0.0:80, ignored',
    'warn',
  ],
  [
    'nginx access line',
    '172.18.0.1 - - [03/Dec/2026:10:00:00 +0000] "GET /health HTTP/1.1" 200 2 "-" "curl/8.5.0"',
    undefined,
  ],
  [
    'Traefik logfmt',
    'time="2026-12-03T10:00:00Z" level=warning msg="Certificate for domain example.org expires in 5 days"',
    'warn',
  ],
  ['Traefik JSON', '{"level":"error","msg":"Error while peeking first byte","time":"2026-12-03T10:00:00Z"}', 'error'],
  [
    'Caddy JSON',
    '{"level":"error","ts":1764756000.12,"logger":"http.log.error","msg":"dial tcp 10.0.0.5:8080: i/o timeout"}',
    'error',
  ],
  [
    'PostgreSQL ERROR',
    '2026-12-03 10:00:00.123 UTC [57] ERROR:  relation "orders" does not exist at character 15',
    'error',
  ],
  [
    'PostgreSQL FATAL',
    '2026-12-03 10:00:00.123 UTC [58] FATAL:  password authentication failed for user "app"',
    'critical',
  ],
  ['PostgreSQL LOG', '2026-12-03 10:00:00.123 UTC [1] LOG:  database system is ready to accept connections', 'info'],
  ['PostgreSQL WARNING', '2026-12-03 10:00:00.123 UTC [77] WARNING:  there is no transaction in progress', 'warn'],
  ['MariaDB', '2026-12-03 10:00:00 0 [ERROR] InnoDB: Unable to lock ./ibdata1 error: 11', 'error'],
  [
    'MariaDB warning',
    '2026-12-03 10:00:00 12 [Warning] Aborted connection 12 to db: unconnected user: unauthenticated',
    'warn',
  ],
  ['Redis warning', '1:M 03 Dec 2026 10:00:00.123 # WARNING Memory overcommit must be enabled!', 'warn'],
  ['Redis notice', '1:M 03 Dec 2026 10:00:00.123 * Ready to accept connections tcp', 'notice'],
  [
    'MongoDB JSON',
    '{"t":{"$date":"2026-12-03T10:00:00.000+00:00"},"s":"E","c":"NETWORK","id":23256,"ctx":"conn1","msg":"Error receiving request from client"}',
    'error',
  ],
  [
    'MongoDB info',
    '{"t":{"$date":"2026-12-03T10:00:00.000+00:00"},"s":"I","c":"NETWORK","id":22943,"ctx":"listener","msg":"Connection accepted"}',
    'info',
  ],
  [
    'Home Assistant',
    '2026-12-03 10:00:00.123 ERROR (MainThread) [homeassistant.components.mqtt] Failed to connect to MQTT server',
    'error',
  ],
  [
    'Home Assistant warning',
    '2026-12-03 10:00:00.123 WARNING (SyncWorker_3) [homeassistant.loader] We found a custom integration hacs',
    'warn',
  ],
  ['Jellyfin', '[10:00:00] [ERR] [12] MediaBrowser.Providers.Manager: Error in metadata refresh', 'error'],
  [
    'Jellyfin dated',
    '[2026-12-03 10:00:00.123 +00:00] [WRN] [7] Emby.Server.Implementations.HttpServer: Slow HTTP response',
    'warn',
  ],
  [
    'Nextcloud JSON',
    '{"reqId":"aBc1","level":3,"time":"2026-12-03T10:00:00+00:00","remoteAddr":"10.0.0.2","app":"core","message":"Login failed: admin"}',
    'error',
  ],
  [
    'Nextcloud warning',
    '{"reqId":"aBc2","level":2,"time":"2026-12-03T10:00:00+00:00","app":"files","message":"Share not found"}',
    'warn',
  ],
  [
    'Vaultwarden',
    '[2026-12-03 10:00:00.123][vaultwarden::api::identity][ERROR] Username or password is incorrect. Try again.',
    'error',
  ],
  ['Vaultwarden info', '[2026-12-03 10:00:00.123][rocket::launch][INFO] Rocket has launched', 'info'],
  [
    'Gitea',
    '2026/12/03 10:00:00 ...s/repository/check.go:120:checkRepo() [E] Failed to check repository: not found',
    'error',
  ],
  ['Gitea warning', '2026/12/03 10:00:00 cmd/web.go:220:runWeb() [W] Lfs server disabled', 'warn'],
  [
    'Grafana logfmt',
    'logger=context userId=0 orgId=0 t=2026-12-03T10:00:00.123Z level=error msg="Failed to look up user"',
    'error',
  ],
  [
    'Prometheus logfmt',
    'ts=2026-12-03T10:00:00.123Z caller=main.go:1200 level=warn component=tsdb msg="WAL segment is corrupt"',
    'warn',
  ],
  ['timestamp + logfmt', '2026-12-03T10:00:00Z level=error msg="db connection failed" attempt=3', 'error'],
  ['docker -t + logfmt lvl', '2026-12-03T10:00:00.123456789Z lvl=warn msg="retrying"', 'warn'],
  ['timestamp + logfmt severity', '2026-12-03 10:00:00 severity=ERROR msg="queue full"', 'error'],
  ['timestamp + JSON', '2026-12-03T10:00:00Z {"level":"warn","msg":"slow query"}', 'warn'],
  ['Node pino', '{"level":50,"time":1764756000000,"pid":1,"hostname":"api","msg":"request failed"}', 'error'],
  ['Node pino fatal', '{"level":60,"time":1764756000000,"pid":1,"hostname":"api","msg":"cannot start"}', 'critical'],
  [
    'bunyan',
    '{"name":"app","hostname":"h","pid":1,"level":40,"msg":"cache miss storm","time":"2026-12-03T10:00:00.000Z","v":0}',
    'warn',
  ],
  [
    'Go zap JSON',
    '{"level":"error","ts":1764756000.1,"caller":"server/main.go:42","msg":"request failed","error":"EOF"}',
    'error',
  ],
  ['Go zap console', '2026-12-03T10:00:00.123Z\tERROR\tserver/main.go:42\trequest failed\t{"error": "EOF"}', 'error'],
  ['Go logrus text', 'time="2026-12-03T10:00:00Z" level=error msg="sync failed" error="EOF"', 'error'],
  ['Go logrus TTY', 'ERRO[0005] failed to pull image                      error="manifest unknown"', 'error'],
  ['Go logrus TTY warning', 'WARN[0001] config file not found, using defaults', 'warn'],
  ['Go slog text', 'time=2026-12-03T10:00:00.000Z level=ERROR msg="db down" err=EOF', 'error'],
  ['Go slog JSON', '{"time":"2026-12-03T10:00:00Z","level":"WARN","msg":"slow"}', 'warn'],
  ['Python logging', '2026-12-03 10:00:00,123 - worker - ERROR - job 7 failed', 'error'],
  ['Python basicConfig', 'ERROR:app.db:could not connect', 'error'],
  ['Python uvicorn', 'ERROR:    Exception in ASGI application', 'error'],
  ['Flask', '[2026-12-03 10:00:00,123] ERROR in app: Exception on /api [GET]', 'error'],
  ['Java logback', '10:00:00.123 [main] ERROR com.example.App - failed to start', 'error'],
  [
    'Spring Boot',
    '2026-12-03T10:00:00.123Z  WARN 1 --- [           main] o.s.b.a.SpringApplication : Startup slow',
    'warn',
  ],
  ['Java util logging', 'SEVERE: Servlet.service() for servlet [dispatcher] threw exception', 'error'],
  ['Rust tracing', '2026-12-03T10:00:00.123456Z ERROR my_app::db: connection failed', 'error'],
  [
    'Rust tracing coloured',
    `${E}[2m2026-12-03T10:00:00.123456Z${E}[0m ${E}[33m WARN${E}[0m ${E}[2mmy_app${E}[0m: retrying`,
    'warn',
  ],
  ['Rust env_logger', '[2026-12-03T10:00:00Z ERROR my_app::net] socket closed', 'error'],
  ['.NET console', 'fail: Microsoft.AspNetCore.Server.Kestrel[13]', 'error'],
  ['.NET console warn', 'warn: Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository[60]', 'warn'],
  ['.NET console crit', 'crit: Microsoft.AspNetCore.Hosting.Diagnostics[6]', 'critical'],
  ['.NET Serilog', '[10:00:00 ERR] Unhandled exception in request', 'error'],
  [
    'PHP fatal',
    '[03-Dec-2026 10:00:00 UTC] PHP Fatal error:  Uncaught Error: Call to undefined function foo()',
    'critical',
  ],
  [
    'PHP warning',
    '[03-Dec-2026 10:00:00 UTC] PHP Warning:  Undefined variable $x in /var/www/index.php on line 3',
    'warn',
  ],
  ['PHP-FPM', '[03-Dec-2026 10:00:00] WARNING: [pool www] server reached pm.max_children setting (5)', 'warn'],
  ['klog', 'E1203 10:00:00.123456       1 reflector.go:138] failed to list pods', 'error'],
  ['klog warning', 'W1203 10:00:00.123456       1 client.go:12] falling back to default', 'warn'],
  ['syslog priority', '<11>Dec  3 10:00:00 host app[123]: disk check failed', 'error'],
  ['RFC 5424 priority', '<12>1 2026-12-03T10:00:00Z host app 123 - - queue nearly full', 'warn'],
  [
    'syslog error prefix',
    'Dec  3 10:00:00 host sshd[123]: error: kex_exchange_identification: read: Connection reset by peer',
    'error',
  ],
  [
    'Apache module level',
    '[Thu Dec 03 10:00:00.123456 2026] [proxy:error] [pid 12] AH00957: http: attempt to connect to backend failed',
    'error',
  ],
  ['Ruby logger', 'E, [2026-12-03T10:00:00.123456 #1] ERROR -- : boom', 'error'],
  ['docker -t + bracket level', '2026-12-03T10:00:00.123456789Z [WARN] disk almost full', 'warn'],
  ['two timestamps (docker -t + app)', '2026-12-03T10:00:00.1Z 2026-12-03 10:00:00,100 ERROR [main] db: gone', 'error'],
  ['plain info line', 'Server listening on port 8080', undefined],
  ['level word mid-sentence is not a level', 'user error rate report generated for 3 accounts', undefined],
];

describe('levels in real-world line forms', () => {
  test('the table has at least 30 forms', () => expect(TABLE.length).toBeGreaterThanOrEqual(30));
  for (const [name, line, level] of TABLE) {
    test(name, () => {
      const p = parseLine(line);
      // what the pipeline uses: the parsed level, else a level word guessed from the message
      const got = p.level ?? guessLevel(p.message);
      expect(got).toBe(level as never);
    });
  }
});

describe('messages after leading timestamps', () => {
  test('logfmt after a timestamp keeps its message and extra fields', () => {
    const p = parseLine('2026-12-03T10:00:00Z level=error msg="db connection failed" attempt=3');
    expect(p.message).toBe('db connection failed attempt=3');
    expect(p.time).toBe('2026-12-03T10:00:00Z');
  });
  test('.NET fail: line carries its category as the message', () => {
    expect(parseLine('fail: Microsoft.AspNetCore.Server.Kestrel[13]').message).toBe(
      'Microsoft.AspNetCore.Server.Kestrel[13]',
    );
  });
  test('severity raises a panic logged at info', () => {
    expect(assessSeverity('panic: runtime error', 'info').level).toBe('critical');
  });
});

describe("Docker's json-file records", () => {
  test('the line inside is read as the container wrote it', () => {
    const rec = JSON.stringify({
      log: '2026-12-03T10:00:00Z level=error msg="db down" attempt=2\n',
      stream: 'stderr',
      time: '2026-12-03T10:00:00.123456789Z',
    });
    expect(parseLine(rec)).toMatchObject({
      form: 'logfmt',
      level: 'error',
      message: 'db down attempt=2',
      time: '2026-12-03T10:00:00Z',
    });
    const plain = JSON.stringify({
      log: 'listening on :8080\n',
      stream: 'stdout',
      time: '2026-12-03T10:00:00.123456789Z',
    });
    expect(parseLine(plain)).toMatchObject({ message: 'listening on :8080', time: '2026-12-03T10:00:00.123456789Z' });
  });
});
