// Redaction end to end, against the real process: a real dockerd container prints the secrets corpus
// (and the appliance's own secrets), another one prints its 20 env values inside arbitrary text; one
// log_triage run with the recording fake model. No 8-character run of any secret may appear in what the
// model received, the artifacts, the report API, the MCP resources, the run page, the REST log read,
// the process's own output, or a dump of every table.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openEmbedded } from '../../src/db/embedded.ts';
import { startAppProcess, type AppProcess } from '../support/app-process.ts';
import { createServerDatabase } from '../support/db.ts';
import { dockerCli, dockerHost, hasDocker, removeContainers, runTestContainer, uniqueName } from '../support/docker.ts';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm.ts';
import { waitFor } from '../support/runner.ts';
import { corpusSecrets, leaksIn, loadCorpus } from '../support/secrets-corpus.ts';

const docker = hasDocker('redaction end to end');
// (no two share a run of 8 characters with each other or with the report's own words)
const TOKEN = 'Tq7-admin-4f2a9c-Zk';
const MODEL_KEY = 'Mk2-llm-8b1d7e-Wq';
const DB_PASSWORD = 'Dp5-pg-3c9e0a-Xv';

// 20 env values: half under names that look secret, half under names that do not (people keep
// secrets in TENANT or SEED_WORD too); none has a secret's shape, so only the known-value step catches them
const ENV: Record<string, string> = {
  DB_PASSWORD: 'hunter2canary-velvet',
  API_TOKEN: 'marble-orchard-token-17',
  SMTP_PASS: 'quiet-harbor-lantern',
  JWT_SECRET: 'copper-falcon-meadow',
  REDIS_KEY: 'sleepy-walrus-engine',
  ADMIN_PWD: 'violet-tractor-42x',
  S3_SECRET: 'granite-pillow-sunset',
  WEBHOOK_SECRET: 'brave-otter-compass',
  OAUTH_CLIENT_SECRET: 'silent-cactus-rocket',
  BACKUP_PASSPHRASE: 'amber-glacier-violin',
  TENANT: 'acme-blue-tenant-x9',
  SEED_WORD: 'correct horse battery',
  OWNER_NOTE: 'ask-frida-for-keys',
  COLOR_THEME: 'midnight-lagoon-77',
  REGION_LABEL: 'north-wing-rack-b',
  MOTTO: 'we-never-sleep-here',
  BUILD_SALT: 'pepper-crystal-salt',
  GREETING: 'hello-neighbour-zz',
  PET_NAME: 'biscuit-the-hamster',
  LICENSE_HOLDER: 'dolores-umbrella-co',
};

function decodeHtml(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_m, h) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_m, d) => String.fromCharCode(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe.skipIf(!docker)('redaction (real process, real dockerd, recording fake model)', () => {
  const root = mkdtempSync(join(tmpdir(), 'cb-redaction-'));
  const logsDir = join(root, 'logs');
  const data = join(root, 'data');
  const corpus = loadCorpus();
  // the database password is the appliance's own only on the PostgreSQL leg (embedded has none)
  const own = [TOKEN, MODEL_KEY, ...(process.env.DATABASE_URL ? [DB_PASSWORD] : [])];
  const secrets = [...corpusSecrets(corpus), ...Object.values(ENV), ...own];
  const corpusBox = { name: uniqueName('cb-redact-corpus'), id: '' };
  const envBox = { name: uniqueName('cb-redact-env'), id: '' };
  let fake: FakeLlm;
  let app: AppProcess;
  let dbUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  let runId = 0;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${app.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    fake = await startFakeLlm({ answer: () => 'Several services print credentials into their logs.' });
    const env: Record<string, string> = {
      DOCKER_HOST: dockerHost(),
      CYBER_BRAIN_DATA: data,
      CYBER_BRAIN_LOGS: logsDir,
      CYBER_BRAIN_TOKEN: TOKEN,
      LLM_BASE_URL: fake.url,
      LLM_API_KEY: MODEL_KEY,
      LLM_CONTEXT_TOKENS: '16384',
      LOG_LEVEL: 'debug',
    };
    if (process.env.DATABASE_URL) {
      // the test server trusts local connections: the password is not checked, but the appliance knows it
      const made = await createServerDatabase(process.env.DATABASE_URL);
      const u = new URL(made.url);
      u.password = DB_PASSWORD;
      dbUrl = u.toString();
      dropDb = made.drop;
      env.DATABASE_URL = dbUrl;
    }
    app = await startAppProcess(env, { timeoutMs: 120_000 });

    corpusBox.id = runTestContainer({
      name: corpusBox.name,
      cmd: ['sh', '-c', 'echo "INFO corpus printer up"; sleep 3600'],
    });
    const script = [
      ...Object.keys(ENV).map(
        (k, i) => `echo "line ${i}: loaded x\${${k}}y while starting, see [\${${k}}] (${k.length} chars)"`,
      ),
      `echo "WARN fallback to \${TENANT}:\${SEED_WORD} for routing"`,
      // a structure value: the corpus container's name is known to the inventory and stays readable
      `echo "ERROR upstream is \${UPSTREAM} unreachable"`,
      'sleep 3600',
    ].join('; ');
    envBox.id = runTestContainer({
      name: envBox.name,
      cmd: ['sh', '-c', script],
      env: { ...ENV, UPSTREAM: corpusBox.name },
    });
    const lines = [
      ...corpus.map((c) => c.line),
      `ERROR proxy dumped header x-admin=${TOKEN}`,
      `WARN sidecar env: ${own.slice(1).join(' / ')}`,
    ];
    const w = dockerCli(['exec', '-i', corpusBox.id, 'sh', '-c', 'cat > /proc/1/fd/1'], lines.join('\n') + '\n');
    expect(w.code).toBe(0);
    await waitFor(
      'the corpus in the log',
      () => dockerCli(['logs', '--tail', '2', corpusBox.id]).stdout.includes('sidecar env'),
      10_000,
    );
    await waitFor(
      'the env lines in the log',
      () => dockerCli(['logs', envBox.id]).stdout.includes('upstream is'),
      10_000,
    );
    for (const c of [corpusBox, envBox])
      expect((await api('POST', '/api/allowlist', { container: c.name })).status).toBe(201);

    const launched = await api('POST', '/api/runs', {
      tasks: ['log_triage'],
      options: { log_triage: { containers: [corpusBox.name, envBox.name] } },
    });
    expect(launched.status).toBe(201);
    runId = JSON.parse(launched.text).id;
    const run = await waitFor(
      'the run to end',
      async () => {
        const r = JSON.parse((await api('GET', `/api/runs/${runId}`)).text);
        return ['success', 'partial', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
      },
      60_000,
    );
    expect(run.status).toBe('success');
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await fake?.stop();
    removeContainers([corpusBox.id, envBox.id].filter(Boolean));
    await dropDb?.();
    rmSync(root, { recursive: true, force: true });
  });

  test('the model received no secret, and the triage still shows what happened', () => {
    const bodies = fake.chatBodies();
    expect(bodies).toHaveLength(1);
    const sent = JSON.stringify(bodies[0]);
    expect(leaksIn(sent, secrets)).toEqual([]);
    expect(sent).toContain('[REDACTED:known_value]');
    expect(sent).toContain('[REDACTED:secret_pair]');
  });

  test('artifacts, the report API, the MCP resources and the run page hold no secret', async () => {
    const files = filesUnder(logsDir);
    expect(files.some((f) => f.endsWith('log_triage.json'))).toBe(true);
    for (const f of files) expect({ f, leaks: leaksIn(readFileSync(f, 'utf8'), secrets) }).toEqual({ f, leaks: [] });
    const reportJson = JSON.parse(readFileSync(files.find((f) => f.endsWith('log_triage.json'))!, 'utf8'));
    // the counts per kind are in the report, as before; the structure value stayed readable
    expect(reportJson.redactions.known_value).toBeGreaterThanOrEqual(20);
    expect(reportJson.redactions.secret_pair).toBeGreaterThan(50);
    expect(JSON.stringify(reportJson)).toContain(`upstream is ${corpusBox.name} unreachable`);

    const report = await api('GET', `/api/runs/${runId}/report`);
    expect(report.status).toBe(200);
    expect(leaksIn(report.text, secrets)).toEqual([]);

    const client = new Client({ name: 'redaction-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${app.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    try {
      for (const uri of [`cyberbrain://runs/${runId}/report.md`, `cyberbrain://runs/${runId}`]) {
        const r = await client.readResource({ uri });
        const text = r.contents.map((c) => ('text' in c ? c.text : '')).join('\n');
        expect(text.length).toBeGreaterThan(10);
        expect({ uri, leaks: leaksIn(text, secrets) }).toEqual({ uri, leaks: [] });
      }
    } finally {
      await client.close();
    }

    const page = await api('GET', `/runs/${runId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('REDACTED');
    expect(leaksIn(decodeHtml(page.text), secrets)).toEqual([]);
  });

  test('the REST log read shows the lines redacted', async () => {
    for (const c of [corpusBox, envBox]) {
      const r = await api('GET', `/api/containers/${c.name}/logs?limit=5000`);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text).lines.length).toBeGreaterThan(10);
      expect({ c: c.name, leaks: leaksIn(r.text, secrets) }).toEqual({ c: c.name, leaks: [] });
    }
  });

  test("no secret in the process's output or in any table", async () => {
    expect(leaksIn(app.output(), secrets)).toEqual([]);
    await app.stop();
    const db = dbUrl ? null : await openEmbedded({ dataDir: join(data, 'pg') });
    const sql = db ? db.sql : postgres(dbUrl!, { max: 1, onnotice: () => {} });
    try {
      const tables = await sql<
        { name: string }[]
      >`select table_schema || '.' || table_name as name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'`;
      expect(tables.length).toBeGreaterThan(5);
      let rows = 0;
      for (const t of tables) {
        const all = await sql.unsafe(
          `select * from ${t.name
            .split('.')
            .map((p) => `"${p}"`)
            .join('.')}`,
        );
        rows += all.length;
        const dump = JSON.stringify(all);
        expect({ table: t.name, leaks: leaksIn(dump, secrets) }).toEqual({ table: t.name, leaks: [] });
      }
      expect(rows).toBeGreaterThan(0);
    } finally {
      if (db) await db.close();
      else await (sql as postgres.Sql).end();
    }
  }, 60_000);
});
