// Token guessing from one address is slowed (429 with Retry-After once AUTH_MAX_FAILURES failed in
// the window), the right token signs in again after the wait, and /readyz without a token says only
// ready or not ready.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { abuseEnabled, ADMIN_TOKEN, startAbuseApp, type AbuseApp } from './support.ts';

const enabled = abuseEnabled('abuse: sign-in throttle');
const WINDOW_S = 5;

const login = (a: AbuseApp, token: string) =>
  fetch(`${a.url}/login`, { method: 'POST', body: new URLSearchParams({ token, next: '/' }), redirect: 'manual' });

describe.skipIf(!enabled)('sign-in and token guessing', () => {
  let a: AbuseApp;
  beforeAll(async () => {
    // the default is 10 a minute; a short window keeps the wait short here, the count is the default
    a = await startAbuseApp({ CYBER_BRAIN_TOKEN: ADMIN_TOKEN, AUTH_FAILURE_WINDOW_S: String(WINDOW_S) });
  });
  afterAll(async () => {
    await a?.close();
  });

  test('20 wrong tokens at /login: 429 with Retry-After from the 11th; the right token signs in after the wait', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 20; i++) {
      const res = await login(a, `wrong-${i}`);
      await res.body?.cancel();
      statuses.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(10).fill(429));
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(WINDOW_S);
    // while throttled even the right token waits (else guessing would go on)
    const early = await login(a, ADMIN_TOKEN);
    expect(early.status).toBe(429);
    expect(early.headers.get('set-cookie')).toBeNull();
    await Bun.sleep(Number(retryAfter) * 1000 + 100);
    const ok = await login(a, ADMIN_TOKEN);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('set-cookie')).toContain('cb_session=');
  }, 30_000);

  test('wrong bearer tokens on the API are throttled the same way, with the error shape', async () => {
    await Bun.sleep(WINDOW_S * 1000 + 100); // the previous test's failures leave the window
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 12; i++) {
      last = await fetch(`${a.url}/api/runs`, { headers: { authorization: `Bearer guess-${i}` } });
      statuses.push(last.status);
      if (i < 11) await last.body?.cancel();
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await last!.json()).error.code).toBe('too_many_attempts');
    await Bun.sleep(WINDOW_S * 1000 + 100);
    expect((await fetch(`${a.url}/api/runs`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(
      200,
    );
  }, 30_000);

  test('/readyz without a token says only ready; with a token it shows the details', async () => {
    const bare = await (await fetch(`${a.url}/readyz`)).json();
    expect(bare).toEqual({ status: 'ready' });
    const full = await (await fetch(`${a.url}/readyz`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
    expect(full.status).toBe('ready');
    expect(full.docker).toBeDefined();
    expect(full.database.backend).toBe('postgres');
  });
});
