// Bad input to the runs and directives routes: always a 4xx with the one error shape, and nothing written.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { App } from '../../src/app.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { testTasks } from '../support/test-tasks.ts';

let db: TestDatabase;
let app: App;

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db, { tasks: testTasks() });
});
afterAll(async () => {
  await db.close();
});

async function rowCounts(): Promise<Record<string, number>> {
  const [r] = await db.sql<Record<string, number>[]>`
    select (select count(*) from runs) as runs, (select count(*) from jobs) as jobs,
           (select count(*) from directives) as directives, (select count(*) from directive_versions) as versions,
           (select count(*) from artifacts) as artifacts`;
  return r!;
}

const huge = 'x'.repeat(20_000);
type Case = [string, string, string, unknown, Record<string, string>?];
const cases: Case[] = [
  ['unknown task', 'POST', '/api/runs', { tasks: ['nope'] }],
  ['task key with odd characters', 'POST', '/api/runs', { tasks: ['../etc'] }],
  ['tasks not an array', 'POST', '/api/runs', { tasks: 'probe' }],
  ['empty task list', 'POST', '/api/runs', { tasks: [] }],
  ['duplicate tasks', 'POST', '/api/runs', { tasks: ['probe', 'probe'] }],
  ['directive id as text', 'POST', '/api/runs', { directive_id: 'one' }],
  ['negative directive id', 'POST', '/api/runs', { directive_id: -1 }],
  ['fractional directive id', 'POST', '/api/runs', { directive_id: 1.5 }],
  ['huge directive id', 'POST', '/api/runs', { directive_id: 1e300 }],
  ['missing directive', 'POST', '/api/runs', { directive_id: 999999 }],
  ['both directive id and text', 'POST', '/api/runs', { directive_id: 1, directive_text: 'x' }],
  ['oversized directive text', 'POST', '/api/runs', { directive_text: huge }],
  ['blank directive text', 'POST', '/api/runs', { directive_text: '   ' }],
  ['options for a task not launched', 'POST', '/api/runs', { tasks: ['echo'], options: { probe: {} } }],
  ['options of the wrong type', 'POST', '/api/runs', { tasks: ['probe'], options: { probe: { sleep_ms: 'long' } } }],
  ['unknown option', 'POST', '/api/runs', { tasks: ['probe'], options: { probe: { colour: 'red' } } }],
  ['options not an object', 'POST', '/api/runs', { options: [1, 2] }],
  ['malformed JSON', 'POST', '/api/runs', '{"tasks": [', {}],
  ['JSON as text/plain', 'POST', '/api/runs', '{"tasks":["probe"]}', { 'content-type': 'text/plain' }],
  ['a JSON array body', 'POST', '/api/runs', [1, 2, 3]],
  ['a JSON string body', 'POST', '/api/runs', '"probe"', {}],
  ['deep nesting', 'POST', '/api/runs', JSON.parse('['.repeat(500) + ']'.repeat(500))],
  ['run id not a number', 'GET', '/api/runs/abc', undefined],
  ['run id zero', 'GET', '/api/runs/0', undefined],
  ['run id beyond safe integers', 'GET', '/api/runs/99999999999999999999', undefined],
  ['missing run', 'GET', '/api/runs/424242', undefined],
  ['cancel a missing run', 'POST', '/api/runs/424242/cancel', undefined],
  ['approve a missing run', 'POST', '/api/runs/424242/approve', undefined],
  ['missing artifact', 'GET', '/api/artifacts/424242/content', undefined],
  ['bad status filter', 'GET', '/api/runs?status=done', undefined],
  ['limit too large', 'GET', '/api/runs?limit=100000', undefined],
  ['limit negative', 'GET', '/api/runs?limit=-5', undefined],
  ['cursor not a number', 'GET', '/api/runs?before=yesterday', undefined],
  ['since-last-success without task', 'GET', '/api/runs/since-last-success', undefined],
  ['directive without body', 'POST', '/api/directives', { name: 'x', level: 'D1', title: 't' }],
  ['directive with bad level', 'POST', '/api/directives', { name: 'x', level: 'D9', title: 't', body: 'b' }],
  ['directive with bad name', 'POST', '/api/directives', { name: 'Has Spaces', level: 'D1', title: 't', body: 'b' }],
  ['directive with oversized body', 'POST', '/api/directives', { name: 'big', level: 'D1', title: 't', body: huge }],
  [
    'directive name taken',
    'POST',
    '/api/directives',
    { name: 'read-only-diagnostics', level: 'D1', title: 't', body: 'b' },
  ],
  ['empty directive patch', 'PATCH', '/api/directives/1', {}],
  ['directive patch with wrong types', 'PATCH', '/api/directives/1', { active: 'yes' }],
  ['built-in level change', 'PATCH', '/api/directives/1', { level: 'D4' }],
  ['delete a built-in', 'DELETE', '/api/directives/1', undefined],
  ['missing directive versions', 'GET', '/api/directives/424242/versions', undefined],
  ['unicode in an id', 'GET', '/api/runs/%F0%9F%92%A5', undefined],
];

describe('bad input to runs and directives', () => {
  for (const [name, method, path, body, headers] of cases) {
    test(`${name}: 4xx with the error shape, nothing written`, async () => {
      const before = await rowCounts();
      const res = await app.handle(apiRequest(method, path, body, headers));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const json = await res.json();
      expect(Object.keys(json)).toEqual(['error']);
      expect(typeof json.error.code).toBe('string');
      expect(typeof json.error.message).toBe('string');
      expect(await rowCounts()).toEqual(before);
    });
  }

  test('an oversized body is refused with 413 before it is read', async () => {
    const before = await rowCounts();
    const body = JSON.stringify({ directive_text: 'y'.repeat(2 * 1024 * 1024) });
    const res = await app.handle(apiRequest('POST', '/api/runs', body, { 'content-length': String(body.length) }));
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
    expect(await rowCounts()).toEqual(before);
  });
});
