// The small parts of the hardening, with an injectable clock where time matters: the failure
// throttle, the JSON depth scan, the NUL finder, body caps, label redaction and MCP session caps.
import { describe, expect, test } from 'bun:test';
import { FailureThrottle } from '../../src/auth/throttle.ts';
import { HIDDEN_LABEL_VALUE, redactLabels } from '../../src/docker/container-metadata.ts';
import { MAX_BODY_BYTES, readCapped } from '../../src/http/body-limits.ts';
import { isDatabaseUnavailable } from '../../src/http/database-errors.ts';
import { AppError } from '../../src/errors.ts';
import { jsonTooDeep, nulField } from '../../src/http/json-depth.ts';
import { McpSessions, type McpSession, type SessionRefusal, type SessionSlot } from '../../src/http/mcp/sessions.ts';

describe('failure throttle', () => {
  test('10 failures a minute, then a wait until the oldest leaves the window; other addresses are not affected', () => {
    let now = 1_000_000;
    const t = new FailureThrottle(10, 60_000, () => now);
    for (let i = 0; i < 10; i++) {
      expect(t.waitMs('a')).toBe(0);
      t.fail('a');
      now += 1000;
    }
    expect(t.waitMs('a')).toBe(50_000); // the first failure was 10 s ago
    expect(t.waitMs('b')).toBe(0);
    now += 49_999;
    expect(t.waitMs('a')).toBe(1);
    now += 1;
    expect(t.waitMs('a')).toBe(0); // one slot free again
    t.fail('a');
    expect(t.waitMs('a')).toBeGreaterThan(0);
  });

  test('a success does not wipe the count (nothing resets it but time)', () => {
    let now = 0;
    const t = new FailureThrottle(2, 1000, () => now);
    t.fail('a');
    t.fail('a');
    expect(t.waitMs('a')).toBe(1000);
    now = 1001;
    expect(t.waitMs('a')).toBe(0);
  });
});

describe('JSON depth', () => {
  test('counts brackets outside strings only', () => {
    expect(jsonTooDeep('[[[]]]', 3)).toBe(false);
    expect(jsonTooDeep('[[[[]]]]', 3)).toBe(true);
    expect(jsonTooDeep(`{"a":"${'['.repeat(1000)}"}`, 3)).toBe(false);
    expect(jsonTooDeep(`{"a":"\\"${'['.repeat(10)}"}`, 3)).toBe(false); // escaped quote stays inside the string
    expect(jsonTooDeep(`{"tasks":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)).toBe(true);
  });

  test('a 1 MiB deep body is scanned in well under 50 ms', () => {
    const body = '['.repeat(MAX_BODY_BYTES / 2) + ']'.repeat(MAX_BODY_BYTES / 2);
    const flat = `[${'"x",'.repeat(MAX_BODY_BYTES / 4 - 1)}"x"]`;
    expect(jsonTooDeep(body)).toBe(true);
    // the worst case looks at every character; the best of five runs, so a busy shared machine's
    // scheduling does not decide it
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      expect(jsonTooDeep(flat)).toBe(false);
      times.push(performance.now() - t);
    }
    expect(Math.min(...times)).toBeLessThan(50);
  });
});

describe('NUL finder', () => {
  test('names the first field holding a NUL, in values, arrays and keys', () => {
    expect(nulField({ a: 'x', b: { c: 'y\u0000' } })).toBe('b.c');
    expect(nulField({ tags: ['ok', 'n\u0000o'] })).toBe('tags.1');
    expect(nulField({ 'k\u0000': 1 })).toBe('k\\u0000');
    expect(nulField('\u0000')).toBe('(root)');
    expect(nulField({ a: 'x', n: 1, b: null, c: [true] })).toBeUndefined();
  });
});

describe('body caps', () => {
  const stream = (chunks: number, size: number) =>
    new ReadableStream<Uint8Array>({
      pull(c) {
        if (chunks-- <= 0) c.close();
        else c.enqueue(new Uint8Array(size));
      },
    });

  test('reads a body under the cap whole; past it stops reading with a 413', async () => {
    expect((await readCapped(stream(4, 100), 400)).byteLength).toBe(400);
    let err: unknown;
    await readCapped(stream(1000, 100), 400).catch((e) => (err = e));
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(413);
    expect((await readCapped(null, 10)).byteLength).toBe(0);
  });
});

describe('database unavailable', () => {
  test('connection errors and server shutdown codes, also as a cause; not other errors', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'CONNECTION_CLOSED' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '57P01' }))).toBe(true);
    expect(
      isDatabaseUnavailable(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: '08006' }) })),
    ).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('x'))).toBe(false);
  });
});

describe('label values off the allowlist', () => {
  test('keys stay; values only for compose, OCI image and cyberbrain labels', () => {
    expect(
      redactLabels({
        'traefik.http.middlewares.a.basicauth.users': 'admin:$apr1$canary',
        'com.docker.compose.project': 'media',
        'org.opencontainers.image.version': '1.2',
        'cyberbrain.allow': 'false',
        'com.docker.composer': 'not the compose prefix',
      }),
    ).toEqual({
      'traefik.http.middlewares.a.basicauth.users': HIDDEN_LABEL_VALUE,
      'com.docker.compose.project': 'media',
      'org.opencontainers.image.version': '1.2',
      'cyberbrain.allow': 'false',
      'com.docker.composer': HIDDEN_LABEL_VALUE,
    });
  });
});

describe('MCP session caps', () => {
  const refused = (r: SessionSlot | SessionRefusal): r is SessionRefusal => 'status' in r;
  let n = 0;
  const session = (owner: string, lastSeen: number, closed: string[]): McpSession =>
    ({
      id: `s${++n}`,
      kind: 'sse',
      owner,
      lastSeen,
      server: {} as McpSession['server'],
      transport: {} as never,
      close: async () => void closed.push(owner),
    }) as McpSession;

  test('per caller: 429 for the caller at its cap; a full server: 503 for a new one; nobody is closed', async () => {
    let now = 0;
    const closed: string[] = [];
    const s = new McpSessions(5, 60_000, 2, () => now);
    try {
      for (const owner of ['admin', 'reader', 'reader']) {
        const slot = s.reserve(owner);
        if (refused(slot)) throw new Error('refused');
        s.add(session(owner, now, closed), slot);
      }
      const third = s.reserve('reader');
      expect(refused(third) && third.status).toBe(429);
      expect(refused(third) && third.retryAfterSeconds).toBe(60);
      // slots being opened count too
      const a = s.reserve('x');
      const b = s.reserve('y');
      expect(refused(a) || refused(b)).toBe(false);
      const full = s.reserve('z');
      expect(refused(full) && full.status).toBe(503);
      expect(refused(full) && full.code).toBe('sessions_full');
      if (!refused(a)) a.release();
      expect(refused(s.reserve('z'))).toBe(false);
      expect(closed).toEqual([]);
      // idle sessions leave before a refusal is decided
      now = 61_000;
      expect(refused(s.reserve('reader'))).toBe(false);
      await Bun.sleep(0);
      expect(closed.sort()).toEqual(['admin', 'reader', 'reader']);
    } finally {
      await s.closeAll();
    }
  });
});
