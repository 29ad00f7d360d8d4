import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Elysia, t } from 'elysia';
import type { App } from '../../src/app.ts';
import { loadMigrations } from '../../src/db/migrate.ts';
import { dockerEndpoint } from '../../src/docker/client.ts';
import { dockerProbe } from '../../src/docker/probe.ts';
import { AppError } from '../../src/errors.ts';
import { errorHandling, MAX_BODY_BYTES } from '../../src/http/error-handling.ts';
import { requestLog } from '../../src/http/request-log.ts';
import { llmProbe } from '../../src/llm/probe.ts';
import { createLogger } from '../../src/log.ts';
import { buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { dockerHost, hasDocker } from '../support/docker.ts';

const req = (path: string, init?: RequestInit) => new Request(`http://localhost${path}`, init);

describe('error shape', () => {
  const logLines: string[] = [];
  const app = new Elysia()
    .use(errorHandling(createLogger('debug', (l) => logLines.push(l))))
    .use(requestLog(createLogger('debug', (l) => logLines.push(l))))
    .post('/things', ({ body }) => ({ ok: body.name }), {
      body: t.Object({ name: t.String({ maxLength: 10 }), count: t.Integer() }),
    })
    .get('/conflict', () => {
      throw new AppError(409, 'conflict', 'already there', { id: 1 });
    })
    .get('/bug', () => {
      throw new Error('internal detail that must not leak');
    });

  test('unknown route: 404 with the error shape', async () => {
    const res = await app.handle(req('/nowhere'));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route for GET /nowhere' } });
  });

  test('schema failure: 400 naming the field, without echoing the value', async () => {
    const res = await app.handle(
      req('/things', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'secret-value-xyz', count: 1 }),
      }),
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toContain('name');
    expect(JSON.stringify(body)).not.toContain('secret-value-xyz');
    expect(body.error.details[0].field).toBe('name');
  });

  test('malformed JSON: 400 with the error shape', async () => {
    const res = await app.handle(
      req('/things', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": ' }),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_body');
  });

  test('oversized body: 413 with the error shape', async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 1);
    const res = await app.handle(
      req('/things', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
        body: big,
      }),
    );
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  test('an application error keeps its status, code and details', async () => {
    const res = await app.handle(req('/conflict'));
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: 'conflict', message: 'already there', details: { id: 1 } } });
  });

  test('a bug is a 500 that says nothing internal; the log has it', async () => {
    const res = await app.handle(req('/bug'));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('internal detail');
    expect(JSON.parse(text).error.code).toBe('internal_error');
    expect(logLines.some((l) => l.includes('internal detail that must not leak'))).toBe(true);
  });

  test('one request log line with method, path, status and duration; no query string', async () => {
    logLines.length = 0;
    await app.handle(req('/nowhere?token=abc'));
    await Bun.sleep(5);
    const line = logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request');
    expect(line).toMatchObject({ method: 'GET', path: '/nowhere', status: 404 });
    expect(typeof line.ms).toBe('number');
    expect(JSON.stringify(logLines)).not.toContain('abc');
  });
});

describe('health', () => {
  let db: TestDatabase;
  let app: App;
  beforeAll(async () => {
    db = await openTestDatabase();
    app = buildTestApp(db);
  });
  afterAll(async () => {
    await db.close();
  });

  test('/healthz answers without touching anything', async () => {
    const res = await app.handle(req('/healthz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('/readyz: ready with the backend named and dependency fields', async () => {
    const res = await app.handle(req('/readyz'));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe('ready');
    expect(body.database.backend).toBe(db.backend);
    expect(body.docker.status).toBe('ok');
  });

  test('/readyz: 503 when a migration is missing', async () => {
    const withExtra = buildTestApp(db, {
      migrations: [...loadMigrations(), { version: 9999, name: '9999_x.sql', sql: '', checksum: 'x' }],
    });
    const res = await withExtra.handle(req('/readyz'));
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('migrations_pending');
  });

  test('a model server is probed through /v1/models without sending content', async () => {
    const seen: string[] = [];
    const server = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch(r) {
        seen.push(new URL(r.url).pathname);
        return Response.json({ data: [{ id: 'tiny' }] });
      },
    });
    try {
      const ok = await llmProbe(`http://127.0.0.1:${server.port}`, undefined)();
      expect(ok.status).toBe('ok');
      expect(ok.endpoint).toBe(`http://127.0.0.1:${server.port}`);
      expect(seen).toEqual(['/v1/models']);
      expect((await llmProbe(undefined, undefined)()).status).toBe('not_configured');
    } finally {
      server.stop(true);
    }
    expect((await llmProbe(`http://127.0.0.1:${server.port}/v1`, undefined, 500)()).status).toBe('unreachable');
  });

  const docker = hasDocker('docker readiness');
  test.skipIf(!docker)('the Docker daemon is reported reachable with its version', async () => {
    const status = await dockerProbe(dockerEndpoint(dockerHost()))();
    expect(status.status).toBe('ok');
    expect(status.detail).toMatch(/^Docker \d+\./);
  });

  test('an absent Docker daemon is reported, not fatal', async () => {
    const status = await dockerProbe(dockerEndpoint('unix:///nonexistent/docker.sock'))();
    expect(status.status).toBe('unreachable');
  });
});
