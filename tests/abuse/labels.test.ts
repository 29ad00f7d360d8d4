// Label values of containers off the allowlist: a credential in a label (a basic-auth hash in a router
// rule) appears in no REST or MCP answer, no page and nowhere in the database; keys stay, and the
// values of the safe set (compose, OCI image, cyberbrain.*). Allowlisted containers keep their labels.
// Values stored before the change are cleared by migration 0008.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import postgres from 'postgres';
import { HIDDEN_LABEL_VALUE } from '../../src/docker/container-metadata.ts';
import { loadMigrations, migrate } from '../../src/db/migrate.ts';
import { createServerDatabase } from '../support/db.ts';
import { dockerHost, hasDocker, removeContainers, runTestContainer, uniqueName } from '../support/docker.ts';
import { realServerUrl } from '../support/services.ts';
import { abuseEnabled, ADMIN_TOKEN, startAbuseApp, type AbuseApp } from './support.ts';

const enabled = abuseEnabled('abuse: label values') && hasDocker('abuse: label values');
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const TRAEFIK_KEY = 'traefik.http.middlewares.a.basicauth.users';

/** Every row of every table of a database, as text: what a dump would hold. */
async function dumpText(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<
      { name: string }[]
    >`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
    let out = '';
    for (const t of tables)
      for (const r of await sql.unsafe(`select t::text as row from "${t.name}" t`)) out += `${r.row}\n`;
    return out;
  } finally {
    await sql.end();
  }
}

describe.skipIf(!enabled)('label values of containers off the allowlist', () => {
  const canary = `canary-${Math.random().toString(36).slice(2, 10)}`;
  const listedValue = `listed-${Math.random().toString(36).slice(2, 10)}`;
  const project = uniqueName('abuse-proj');
  let a: AbuseApp;
  const ids: string[] = [];
  let offName = '';
  let onName = '';
  beforeAll(async () => {
    offName = uniqueName('abuse-off');
    onName = uniqueName('abuse-on');
    ids.push(
      runTestContainer({
        name: offName,
        cmd: ['sleep', '300'],
        labels: { [TRAEFIK_KEY]: `admin:$apr1$${canary}`, 'com.docker.compose.project': project },
      }),
    );
    ids.push(
      runTestContainer({
        name: onName,
        cmd: ['sleep', '300'],
        labels: { 'cyberbrain.allow': 'true', 'x.listed': listedValue },
      }),
    );
    a = await startAbuseApp({ CYBER_BRAIN_TOKEN: ADMIN_TOKEN, DOCKER_HOST: dockerHost() });
  });
  afterAll(async () => {
    removeContainers(ids);
    await a?.close();
  });

  test('REST, MCP, pages and the database never show the canary; keys and safe values stay', async () => {
    const seen: string[] = [];
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${a.url}${path}`, { headers: { ...admin, ...headers } });
      const text = await res.text();
      expect(`${path} ${res.status}`).toBe(`${path} 200`);
      seen.push(text);
      return text;
    };
    const snap = await fetch(`${a.url}/api/inventory/snapshots`, { method: 'POST', headers: admin });
    expect(snap.status).toBe(201);
    const snapText = await snap.text();
    seen.push(snapText);
    const snapshotId = JSON.parse(snapText).id;
    await fetch(`${a.url}/api/inventory/snapshots`, { method: 'POST', headers: admin })
      .then((r) => r.text())
      .then((t) => seen.push(t));

    const list = JSON.parse(await get('/api/containers'));
    const off = list.find((c: { name: string }) => c.name === offName);
    const on = list.find((c: { name: string }) => c.name === onName);
    expect(off.allowlisted).toBe(false);
    expect(off.labels[TRAEFIK_KEY]).toBe(HIDDEN_LABEL_VALUE);
    expect(off.labels['com.docker.compose.project']).toBe(project);
    expect(on.allowlisted).toBe(true);
    expect(on.labels['x.listed']).toBe(listedValue);
    await get('/api/containers?scope=all');
    await get(`/api/inventory/snapshots/${snapshotId}`);
    await get('/api/inventory/diff');
    await get('/api/container-inventory');
    await get('/containers', { accept: 'text/html' });
    await get('/containers/snapshots', { accept: 'text/html' });
    const refused = await fetch(`${a.url}/api/containers/${offName}`, { headers: admin });
    expect(refused.status).toBe(403);
    seen.push(await refused.text());

    const client = new Client({ name: 'abuse-labels', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${a.url}/mcp`), { requestInit: { headers: admin } }),
    );
    try {
      for (const [name, args] of [
        ['list_containers', { scope: 'all' }],
        ['take_inventory_snapshot', {}],
        ['get_inventory_diff', {}],
      ] as const) {
        const r = await client.callTool({ name, arguments: args });
        expect(`${name} ${r.isError ? 'error' : 'ok'}`).toBe(`${name} ok`);
        seen.push(JSON.stringify(r));
      }
    } finally {
      await client.close();
    }

    const all = seen.join('\n');
    expect(all).toContain(TRAEFIK_KEY);
    expect(all).toContain(listedValue);
    expect(all).not.toContain(canary);
    const dump = await dumpText(a.databaseUrl);
    expect(dump).toContain(TRAEFIK_KEY);
    expect(dump).not.toContain(canary);
    expect(a.app.output()).not.toContain(canary);
  }, 60_000);

  test('migration 0008 clears values stored before, except for containers on the allowlist', async () => {
    const { url, drop } = await createServerDatabase(realServerUrl()!);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const all = loadMigrations();
      await migrate(
        sql,
        all.filter((m) => m.version < 8),
      );
      const [s] =
        await sql`insert into inventory_snapshots (taken_at, docker_host, container_count) values (now(), 'unix:///x', 2) returning id`;
      const row = (id: string, labels: Record<string, string>) => sql`
        insert into inventory_containers (snapshot_id, container_id, name, image, image_id, state, status, restart_count, oom_killed, labels, ports, networks, mounts)
        values (${s!.id}, ${id}, ${id}, 'img', 'sha256:x', 'running', 'Up', 0, false, ${sql.json(labels)}, '[]', '[]', '[]')`;
      await row('off', { [TRAEFIK_KEY]: `admin:$apr1$${canary}`, 'org.opencontainers.image.title': 'kept' });
      await row('on', { 'x.listed': listedValue });
      await sql`insert into container_allowlist (container_id, name, created_at, updated_at) values ('on', 'on', now(), now())`;
      await migrate(sql, all);
      const rows = await sql<
        { container_id: string; labels: Record<string, string> }[]
      >`select container_id, labels from inventory_containers order by container_id`;
      expect(rows.find((r) => r.container_id === 'off')!.labels).toEqual({
        [TRAEFIK_KEY]: HIDDEN_LABEL_VALUE,
        'org.opencontainers.image.title': 'kept',
      });
      expect(rows.find((r) => r.container_id === 'on')!.labels).toEqual({ 'x.listed': listedValue });
    } finally {
      await sql.end();
      await drop();
    }
  }, 60_000);
});
