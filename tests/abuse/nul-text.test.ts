// Text PostgreSQL cannot store: a NUL character in any text field of any body the app takes (JSON for
// the API, forms for the pages) is a 400 naming the field, and nothing is written. The routes and
// their fields come from the app's route table and body schemas, so new ones are covered.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import postgres from 'postgres';
import { buildTestApp } from '../support/app.ts';
import { openTestDatabase } from '../support/db.ts';
import { abuseEnabled, startAbuseApp, type AbuseApp } from './support.ts';

const enabled = abuseEnabled('abuse: NUL in text');

type Schema = { type?: string; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[] };

/** Paths of every string in a body schema, with arrays as ".0": name, tags.0, params.note ... */
function textFields(schema: Schema, path = ''): string[] {
  if (schema.type === 'string' || schema.anyOf?.some((s) => s.type === 'string')) return path ? [path] : [];
  if (schema.type === 'array' && schema.items) return textFields(schema.items, `${path}.0`);
  if (schema.anyOf) return [...new Set(schema.anyOf.flatMap((s) => textFields(s, path)))];
  return Object.entries(schema.properties ?? {}).flatMap(([k, s]) => textFields(s, path ? `${path}.${k}` : k));
}

/** A body holding one value at a dotted path (".0" makes an array). */
function bodyWith(path: string, value: string): Record<string, unknown> {
  const keys = path.split('.');
  const root: Record<string, unknown> = {};
  let at: Record<string, unknown> | unknown[] = root;
  keys.forEach((k, i) => {
    const last = i === keys.length - 1;
    const next = last ? value : /^\d+$/.test(keys[i + 1]!) ? [] : {};
    if (Array.isArray(at)) at.push(next);
    else at[k] = next;
    if (!last) at = next as Record<string, unknown> | unknown[];
  });
  return root;
}

interface Case {
  method: string;
  path: string;
  form: boolean;
  field: string;
}

describe.skipIf(!enabled)('NUL characters in request text', () => {
  let a: AbuseApp;
  let sql: postgres.Sql;
  const cases: Case[] = [];
  beforeAll(async () => {
    const db = await openTestDatabase();
    for (const r of buildTestApp(db).routes) {
      if (!['POST', 'PATCH', 'PUT'].includes(r.method)) continue;
      const hooks = r.hooks as { body?: Schema; parse?: { fn: unknown }[] };
      if (!hooks.body || typeof hooks.body !== 'object') continue;
      const form = (hooks.parse ?? []).some((p) => p.fn === 'urlencoded');
      for (const field of textFields(hooks.body)) {
        if (field === '_csrf') continue; // read by the guard, never stored
        cases.push({
          method: r.method,
          path: r.path.replace(/\/$/, '').replace(/:[A-Za-z]+/g, '1'),
          form,
          field: form ? field.replace(/\.0$/, '') : field,
        });
      }
    }
    await db.close();
    a = await startAbuseApp({ CYBER_BRAIN_AUTH: 'off' });
    sql = postgres(a.databaseUrl, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql?.end();
    await a?.close();
  });

  async function rowCounts(): Promise<Record<string, number>> {
    const tables = await sql<
      { name: string }[]
    >`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`;
    const out: Record<string, number> = {};
    for (const t of tables)
      out[t.name] = Number((await sql.unsafe(`select count(*)::int as n from "${t.name}"`))[0]!.n);
    delete out.app_meta; // the process's own bookkeeping
    return out;
  }

  test('the route table has text fields in JSON and form bodies', () => {
    expect(cases.filter((c) => !c.form).length).toBeGreaterThan(10);
    expect(cases.filter((c) => c.form).length).toBeGreaterThan(5);
    expect(cases.map((c) => `${c.method} ${c.path}`)).toContain('POST /api/directives');
  });

  test('a NUL in each text field of every POST/PATCH/PUT body is 400 naming the field; no row is written', async () => {
    const before = await rowCounts();
    const wrong: string[] = [];
    for (const c of cases) {
      const value = 'a\u0000b';
      const res = c.form
        ? await fetch(`${a.url}${c.path}`, {
            method: c.method,
            body: new URLSearchParams({ [c.field]: value }),
            redirect: 'manual',
          })
        : await fetch(`${a.url}${c.path}`, {
            method: c.method,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(bodyWith(c.field, value)),
          });
      const json = (await res.json().catch(() => ({}))) as {
        error?: { code?: string; message?: string; details?: { field: string }[] };
      };
      const named = json.error?.details?.[0]?.field === c.field && (json.error?.message ?? '').includes(c.field);
      if (res.status !== 400 || json.error?.code !== 'invalid_text' || !named)
        wrong.push(`${c.method} ${c.path} ${c.field} -> ${res.status} ${JSON.stringify(json).slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  }, 60_000);

  test('a NUL in a query parameter is a 400 as well', async () => {
    const res = await fetch(`${a.url}/api/runs?status=a%00b`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_text');
  });
});
