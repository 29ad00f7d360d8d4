// Request bodies from a caller without a token: a chunked body far over the cap is refused at once
// (401 before a byte is read where a token is needed, 413 at the cap where none is), and a deeply
// nested JSON body is a quick 400 that does not hold up anyone else.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { abuseEnabled, ADMIN_TOKEN, quantile, rssBytes, sendChunked, startAbuseApp, type AbuseApp } from './support.ts';

const enabled = abuseEnabled('abuse: request bodies');
const MB = 1024 * 1024;

describe.skipIf(!enabled)('request bodies against the real process with a token set', () => {
  let a: AbuseApp;
  beforeAll(async () => {
    a = await startAbuseApp({ CYBER_BRAIN_TOKEN: ADMIN_TOKEN });
  });
  afterAll(async () => {
    await a?.close();
  });

  const targets: { path: string; type: string; expect: number[] }[] = [
    { path: '/login', type: 'application/x-www-form-urlencoded', expect: [413] },
    { path: '/api/runs', type: 'application/json', expect: [401] },
    { path: '/mcp', type: 'application/json', expect: [401] },
    { path: '/messages?sessionId=00000000-0000-4000-8000-000000000000', type: 'application/json', expect: [401] },
    { path: '/sse', type: 'application/json', expect: [401] },
  ];
  for (const t of targets) {
    test(`300 MB chunked to ${t.path.split('?')[0]} without a token: ${t.expect.join('/')} within 1 s, RSS growth < 32 MB`, async () => {
      const before = rssBytes(a.app.proc.pid);
      const r = await sendChunked({
        port: a.port,
        path: t.path,
        headers: { 'content-type': t.type },
        total: 300 * MB,
        pid: a.app.proc.pid,
        stopAtGrowth: 64 * MB,
        timeoutMs: 3_000,
      });
      await Bun.sleep(50);
      const growth = Math.max(r.peakRss, rssBytes(a.app.proc.pid)) - before;
      expect({
        status: r.status,
        refused: t.expect.includes(r.status),
        fast: r.ms < 1000,
        small: growth < 32 * MB,
        growth_mb: Math.round(growth / MB),
        ms: Math.round(r.ms),
      }).toMatchObject({ refused: true, fast: true, small: true });
      console.log(
        `${t.path.split('?')[0]}: ${r.status} in ${r.ms.toFixed(0)} ms, RSS growth ${(growth / MB).toFixed(1)} MB, ${(r.sent / MB).toFixed(0)} MB sent`,
      );
      expect(r.head.toLowerCase()).toContain('content-type: application/json');
    }, 20_000);
  }

  test('an admin caller is capped too: 300 MB chunked JSON to /api/runs is 413 within 1 s', async () => {
    const before = rssBytes(a.app.proc.pid);
    const r = await sendChunked({
      port: a.port,
      path: '/api/runs',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      total: 300 * MB,
      pid: a.app.proc.pid,
      stopAtGrowth: 64 * MB,
      timeoutMs: 3_000,
    });
    const growth = r.peakRss - before;
    expect({ status: r.status, fast: r.ms < 1000, small: growth < 32 * MB }).toEqual({
      status: 413,
      fast: true,
      small: true,
    });
  }, 20_000);

  test('a small chunked body from a caller with a token still reaches the route whole', async () => {
    const body = JSON.stringify({ tasks: ['probe'], options: { probe: { report: false } } });
    const r = await sendChunked({
      port: a.port,
      path: '/api/runs',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      body,
      total: 0,
      pid: a.app.proc.pid,
    });
    expect(r.status).toBe(201);
  });

  test('300 MB declared with Content-Length: 413 with the error shape at once, with or without a token; RSS growth < 32 MB', async () => {
    // a declared size is refused before anything else (Bun's own answer would be an empty 413)
    for (const [headers, status] of [
      [{}, 413],
      [{ authorization: `Bearer ${ADMIN_TOKEN}` }, 413],
    ] as const) {
      const before = rssBytes(a.app.proc.pid);
      const r = await sendChunked({
        port: a.port,
        path: '/api/runs',
        headers,
        declared: true,
        total: 300 * MB,
        pid: a.app.proc.pid,
        stopAtGrowth: 64 * MB,
        timeoutMs: 3_000,
      });
      const growth = r.peakRss - before;
      expect({ status: r.status, fast: r.ms < 1000, small: growth < 32 * MB }).toEqual({
        status,
        fast: true,
        small: true,
      });
      expect(r.head.toLowerCase()).toContain('content-type: application/json');
    }
  }, 20_000);

  test('a Content-Length over the cap is 413 before the body is sent', async () => {
    const res = await fetch(`${a.url}/api/runs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        'content-type': 'application/json',
        'content-length': String(2 * MB),
      },
      body: 'x'.repeat(2 * MB),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  test('10 bodies of 200 KB nested 100,000 deep in a row: each 400 within 200 ms; /healthz p99 < 100 ms meanwhile', async () => {
    const depth = 100_000;
    const body = `{"tasks":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    expect(body.length).toBeGreaterThan(190_000);
    // One attempt: ten bodies in a row while four pollers ask /healthz without pause, after the same
    // pollers alone for a moment (the idle p99 of that moment). The bound is p99 < 100 ms. A shared test
    // machine can stall any process for 100 ms or more now and then, so the timing may take the best
    // of five attempts, and when the machine is so busy that /healthz alone already has a p99 over
    // 50 ms, an attempt also counts when the p99 under the bodies stays within twice that. Every answer
    // of every attempt must be the 400. (Before the depth limit each body took seconds: the p99 was
    // seconds too, and no attempt could pass either way.)
    const healthWhile = async (during: () => Promise<void>) => {
      let on = true;
      const health: number[] = [];
      const poller = async () => {
        while (on) {
          const t = performance.now();
          const res = await fetch(`${a.url}/healthz`);
          await res.arrayBuffer();
          health.push(performance.now() - t);
        }
      };
      const poll = Promise.all([poller(), poller(), poller(), poller()]);
      await during();
      on = false;
      await poll;
      return health.sort((x, y) => x - y);
    };
    const attempt = async () => {
      const idle = await healthWhile(() => Bun.sleep(150));
      const answers: { path: string; status: number; ms: number; code?: string }[] = [];
      const health = await healthWhile(async () => {
        for (let i = 0; i < 10; i++) {
          const path = i % 2 ? '/api/runs' : '/login';
          const t = performance.now();
          const res = await fetch(`${a.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
            body,
          });
          const json = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
          answers.push({ path, status: res.status, ms: performance.now() - t, code: json.error?.code });
        }
      });
      const ms = answers.map((r) => r.ms).sort((x, y) => x - y);
      const p99 = quantile(health, 0.99);
      const idleP99 = quantile(idle, 0.99);
      const healthOk = p99 < 100 || (idleP99 > 50 && p99 < 2 * idleP99);
      return {
        answers,
        slowest: ms[ms.length - 1]!,
        median: quantile(ms, 0.5),
        health,
        p99,
        idleP99,
        ok: ms[ms.length - 1]! < 200 && healthOk && health.length >= 20,
      };
    };
    const attempts = [];
    for (let i = 0; i < 5; i++) {
      const r = await attempt();
      attempts.push(r);
      for (const x of r.answers)
        expect({ path: x.path, status: x.status, code: x.code }).toEqual({
          path: x.path,
          status: 400,
          code: 'too_deep',
        });
      console.log(
        `deep JSON attempt ${i + 1}: answers median ${r.median.toFixed(1)} ms slowest ${r.slowest.toFixed(1)} ms; /healthz n=${r.health.length} p50 ${quantile(r.health, 0.5).toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms (idle p99 ${r.idleP99.toFixed(1)} ms)`,
      );
      if (r.ok) break;
    }
    const last = attempts[attempts.length - 1]!;
    expect({
      slowest_ms: Math.round(last.slowest),
      healthz_p99_ms: Math.round(last.p99),
      idle_p99_ms: Math.round(last.idleP99),
      ok: last.ok,
    }).toMatchObject({ ok: true });
  }, 60_000);
});
