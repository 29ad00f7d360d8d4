import { describe, expect, test } from 'bun:test';
import { parseLine } from '../../src/triage/parse-line.ts';

const cases: [string, string, string, string | undefined][] = [
  // [form, line, message, level]
  [
    'ISO-8601 + level + logger',
    '2024-05-01T10:22:33.123Z INFO  com.example.App: server started on port 8080',
    'server started on port 8080',
    'info',
  ],
  ['RFC 3339 with offset', '2024-05-01T10:22:33+02:00 WARN disk usage 91%', 'disk usage 91%', 'warn'],
  [
    'syslog',
    'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; rhost=218.188.2.4',
    'authentication failure; rhost=218.188.2.4',
    undefined,
  ],
  [
    'Apache error log',
    '[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6',
    'mod_jk child workerEnv in error state 6',
    'error',
  ],
  [
    'nginx error log',
    '2024/05/01 10:22:33 [error] 31#31: *5 connect() failed (111: Connection refused) while connecting to upstream',
    '*5 connect() failed (111: Connection refused) while connecting to upstream',
    'error',
  ],
  ['Python logging', '2024-05-01 10:22:33,123 - myapp.worker - ERROR - job 7 failed', 'job 7 failed', 'error'],
  ['Python basicConfig', 'WARNING:root:low disk space', 'low disk space', 'warn'],
  ['Go log package', '2024/05/01 10:22:33 listening on :8080', 'listening on :8080', undefined],
  [
    'Spring Boot',
    '2024-05-01 10:22:33.123  INFO 1 --- [           main] c.e.demo.DemoApplication                 : Started DemoApplication in 2.1 seconds',
    'Started DemoApplication in 2.1 seconds',
    'info',
  ],
  [
    'log4j with thread',
    '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200',
    'Notification time out: 3200',
    'info',
  ],
  [
    'klog',
    'E0501 10:22:33.123456       1 reflector.go:138] failed to list pods: timeout',
    'failed to list pods: timeout',
    'error',
  ],
  ['leading level', '[warn] cache is cold', 'cache is cold', 'warn'],
  ['bare message', 'just a message with 3 numbers', 'just a message with 3 numbers', undefined],
  ['message starting with an address', '10.1.2.3:443 open through proxy', '10.1.2.3:443 open through proxy', undefined],
];

describe('plain headers', () => {
  for (const [name, line, message, level] of cases) {
    test(name, () => {
      const p = parseLine(line);
      expect(p.message).toBe(message);
      expect(p.level).toBe(level as never);
      expect(p.form).toBe('plain');
    });
  }

  test('header time is kept', () => {
    expect(parseLine('2024-05-01T10:22:33Z ERROR boom').time).toBe('2024-05-01T10:22:33Z');
  });
});

describe('structured lines', () => {
  test('JSON (pino numbers, zap/logrus words)', () => {
    const p = parseLine('{"level":50,"time":"2024-05-01T10:22:33Z","msg":"db down","err":"ECONNREFUSED"}');
    expect(p).toMatchObject({ form: 'json', message: 'db down', level: 'error', time: '2024-05-01T10:22:33Z' });
    expect(parseLine('{"severity":"WARNING","message":"slow"}')).toMatchObject({ message: 'slow', level: 'warn' });
  });

  test('logfmt keeps extra fields after the message', () => {
    const p = parseLine('time=2024-05-01T10:22:33Z level=error msg="request failed" status=502 path=/api');
    expect(p).toMatchObject({ form: 'logfmt', level: 'error', message: 'request failed status=502 path=/api' });
  });

  test('ANSI colours are stripped before parsing', () => {
    expect(parseLine('\u001b[31m2024-05-01 10:22:33 ERROR\u001b[0m it broke')).toMatchObject({
      message: 'it broke',
      level: 'error',
    });
  });

  test('a brace that is not JSON falls back to plain', () => {
    expect(parseLine('{not json').form).toBe('plain');
  });
});
