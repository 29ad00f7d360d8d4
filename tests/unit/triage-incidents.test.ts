import { describe, expect, test } from 'bun:test';
import { createTriage, digestOf, type TriageResult } from '../../src/triage/index.ts';

// Deterministic generated logs: three hours of routine noise from a web service, with incidents
// planted in it. Each incident must come out among the top five findings.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const START = Date.parse('2026-03-01T06:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

interface Line {
  ts: string;
  text: string;
}

function noise(r: () => number, at: number): string {
  const ip = `10.0.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`;
  const pick = Math.floor(r() * 10);
  const ts = iso(at);
  switch (pick) {
    case 0:
      return `${ts} INFO  [http-${Math.floor(r() * 8)}] c.e.web.Access: GET /api/items/${Math.floor(r() * 1e5)} 200 ${Math.floor(r() * 90)}ms from ${ip}`;
    case 1:
      return `${ts} INFO  [http-${Math.floor(r() * 8)}] c.e.web.Access: POST /api/orders 201 ${Math.floor(r() * 200)}ms from ${ip}`;
    case 2:
      return `${ts} DEBUG [pool-1] c.e.db.Pool: connections active=${Math.floor(r() * 20)} idle=${Math.floor(r() * 10)}`;
    case 3:
      return `${ts} INFO  [sched-1] c.e.jobs.Sync: synced ${Math.floor(r() * 500)} records in ${(r() * 3).toFixed(2)}s`;
    case 4:
      return `{"time":"${ts}","level":"info","msg":"cache hit","key":"user:${Math.floor(r() * 1e4)}","ratio":${r().toFixed(3)}}`;
    case 5:
      return `time=${ts} level=info msg="health check ok" latency_ms=${Math.floor(r() * 9)}`;
    case 6:
      return `${ts} WARN  [http-${Math.floor(r() * 8)}] c.e.web.RateLimit: client ${ip} close to rate limit (${Math.floor(r() * 100)}%)`;
    case 7:
      return `${ts} WARN  [sched-1] c.e.jobs.Sync: record ${Math.floor(r() * 1e6)} skipped: missing field "sku"`;
    case 8:
      return `${ts} INFO  [main] c.e.metrics: heap used ${Math.floor(r() * 900)} MB of 1024 MB`;
    default:
      return `${ts} INFO  [http-${Math.floor(r() * 8)}] c.e.web.Session: session ${crypto.randomUUID()} renewed for user${Math.floor(r() * 300)}`;
  }
}

function scenario(): Line[] {
  const r = rng(42);
  const out: { at: number; text: string }[] = [];
  const minutes = 180;
  for (let m = 0; m < minutes; m++) {
    for (let k = 0; k < 120; k++) {
      const at = START + m * 60_000 + Math.floor(r() * 60_000);
      out.push({ at, text: noise(r, at) });
    }
    // slow rise of timeouts: none at first, then a growing trickle
    const timeouts = Math.floor((m / minutes) ** 2 * 8 * r() + (m > 60 ? r() * 2 : 0));
    for (let k = 0; k < timeouts; k++) {
      const at = START + m * 60_000 + Math.floor(r() * 60_000);
      out.push({
        at,
        text: `${iso(at)} WARN  [http-${k % 8}] c.e.web.Upstream: upstream inventory request timed out after ${30000 + Math.floor(r() * 500)}ms`,
      });
    }
  }
  // a restart at minute 70, then a burst of connection refused while the database is not up yet
  const restart = START + 70 * 60_000;
  out.push({ at: restart, text: `${iso(restart)} INFO  [main] c.e.App: Starting App v2.4.1 with PID 1` });
  for (let k = 0; k < 60; k++) {
    const at = restart + 1000 + k * 1500;
    out.push({
      at,
      text: `${iso(at)} ERROR [main] c.e.db.Pool: dial tcp 10.0.3.7:5432: connect: connection refused (attempt ${k + 1})`,
    });
  }
  // an OOM kill reported by the kernel (syslog form)
  const oom = START + 120 * 60_000;
  out.push({
    at: oom,
    text: `Mar  1 08:00:00 host kernel: Out of memory: Killed process 4242 (java) total-vm:4194304kB, anon-rss:1048576kB`,
  });
  return out.sort((a, b) => a.at - b.at).map((l) => ({ ts: iso(l.at), text: l.text }));
}

function pythonTrace(ts: string): string[] {
  return [
    `${ts} ERROR worker: job 981 failed`,
    'Traceback (most recent call last):',
    '  File "/app/worker.py", line 88, in run',
    '    result = handle(job)',
    '  File "/app/handlers.py", line 12, in handle',
    '    return payload["amount"] / payload["count"]',
    'ZeroDivisionError: division by zero',
  ];
}

function javaTrace(ts: string): string[] {
  return [
    `${ts} ERROR [http-3] c.e.web.OrderController: Request processing failed`,
    'java.lang.IllegalStateException: order 77 has no customer',
    '\tat com.example.orders.OrderService.place(OrderService.java:118)',
    '\tat com.example.web.OrderController.create(OrderController.java:54)',
    '\tat java.base/java.lang.Thread.run(Thread.java:1583)',
    'Caused by: java.lang.NullPointerException: customer is null',
    '\t... 3 more',
  ];
}

function run(): TriageResult {
  const t = createTriage();
  const lines = scenario();
  const pyAt = 100 * 120;
  const javaAt = 150 * 120;
  lines.forEach((l, i) => {
    if (i === pyAt || i === pyAt + 3000) for (const text of pythonTrace(l.ts)) t.push({ ts: l.ts, text });
    if (i === javaAt) for (const text of javaTrace(l.ts)) t.push({ ts: l.ts, text });
    t.push(l);
  });
  return t.finish();
}

describe('incident scenarios', () => {
  const result = run();
  const top = result.findings.slice(0, 5).map((f) => f.template.template);

  test('each planted incident is a finding in the top five', () => {
    const has = (re: RegExp) => top.some((t) => re.test(t));
    expect(has(/connection refused/)).toBe(true);
    expect(has(/ZeroDivisionError/)).toBe(true);
    expect(has(/IllegalStateException|Request processing failed/)).toBe(true);
    expect(has(/Out of memory: Killed process/)).toBe(true);
    expect(has(/timed out/)).toBe(true);
  });

  test('plenty of noise went in, and it became few templates', () => {
    expect(result.lines).toBeGreaterThan(21_000);
    expect(result.templates.length).toBeLessThan(40);
  });

  test('the burst and the rise are named as such', () => {
    const refused = result.findings.find((f) => f.template.template.includes('connection refused'))!;
    expect(refused.reasons.join(' ')).toContain('burst');
    const timeouts = result.findings.find((f) => f.template.template.includes('timed out'))!;
    expect(timeouts.reasons.join(' ')).toContain('rising');
  });

  test('stack traces stay one event each, with redacted exemplars', () => {
    const py = result.findings.find((f) => f.template.template.includes('ZeroDivisionError'))!;
    expect(py.template.count).toBe(2);
    expect(py.template.exemplars[0]).toContain('Traceback');
    const refused = result.findings.find((f) => f.template.template.includes('connection refused'))!;
    expect(refused.template.exemplars.join('\n')).not.toContain('10.0.3.7');
  });

  test('its digest fits the budget', () => {
    for (const budget of [200, 800, 3000]) expect(digestOf(result, budget).tokens).toBeLessThanOrEqual(budget);
  });
});
