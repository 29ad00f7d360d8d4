// The command line against the secrets corpus: `triage --input FILE --json` (report and the model's
// prompt) and `mine` (templates) show no 8-character run of any secret, nor of the appliance's own
// secrets printed into the log (CYBER_BRAIN_TOKEN, the model key, the database password).
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm.ts';
import { corpusSecrets, leaksIn, loadCorpus } from '../support/secrets-corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'cb-cli-redaction-'));
const file = join(dir, 'corpus.log');
const OWN = {
  CYBER_BRAIN_TOKEN: 'cli-admin-Tok3n-5d8e1f',
  LLM_API_KEY: 'cli-model-K3y-77a1b2',
  DB_PASSWORD: 'cli-db-Passw0rd-9c',
};
const corpus = loadCorpus();
const secrets = [...corpusSecrets(corpus), ...Object.values(OWN)];
let fake: FakeLlm;

const env = (extra: Record<string, string> = {}): Record<string, string> => {
  const e: Record<string, string | undefined> = {
    ...process.env,
    LLM_BASE_URL: undefined,
    DATABASE_URL: `postgres://cb:${OWN.DB_PASSWORD}@127.0.0.1:1/cb`,
    CYBER_BRAIN_TOKEN: OWN.CYBER_BRAIN_TOKEN,
    LLM_API_KEY: OWN.LLM_API_KEY,
    ...extra,
  };
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as Record<string, string>;
};

beforeAll(async () => {
  fake = await startFakeLlm({ answer: () => 'Credentials are being logged by several services.' });
  const lines = corpus.map(
    (c, i) =>
      `2026-11-26T03:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z ${c.line}`,
  );
  // the appliance's own secrets, printed by a chatty container
  lines.push(
    `2026-11-26T04:00:00Z ERROR proxy logged header authorization=${OWN.CYBER_BRAIN_TOKEN}x`,
    `2026-11-26T04:00:01Z WARN sidecar env: ${OWN.LLM_API_KEY} and ${OWN.DB_PASSWORD}`,
  );
  writeFileSync(file, lines.join('\n') + '\n');
});

afterAll(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('triage --json: no secret in the report', () => {
  const r = Bun.spawnSync(['bun', 'src/cli.ts', 'triage', '--input', file, '--json'], {
    stdout: 'pipe',
    stderr: 'pipe',
    env: env(),
  });
  expect(r.exitCode).toBe(0);
  const out = r.stdout.toString();
  const report = JSON.parse(out);
  expect(report.containers[0].window.lines).toBe(corpus.length + 2);
  expect(leaksIn(out, secrets)).toEqual([]);
  expect(Object.keys(report.redactions).length).toBeGreaterThan(5);
  expect(report.redactions.known_value).toBe(3);
  const md = Bun.spawnSync(['bun', 'src/cli.ts', 'triage', '--input', file], {
    stdout: 'pipe',
    stderr: 'pipe',
    env: env(),
  }).stdout.toString();
  expect(md).toContain('## Findings');
  expect(leaksIn(md, secrets)).toEqual([]);
});

test('mine: no secret in any template', () => {
  const r = Bun.spawnSync(['bun', 'src/cli.ts', 'mine', '--input', file], {
    stdout: 'pipe',
    stderr: 'pipe',
    env: env(),
  });
  expect(r.exitCode).toBe(0);
  const out = r.stdout.toString();
  expect(out.trim().split('\n')).toHaveLength(corpus.length + 2);
  expect(leaksIn(out, secrets)).toEqual([]);
});

test('triage with a model: no secret in what the model received', async () => {
  const p = Bun.spawn(['bun', 'src/cli.ts', 'triage', '--input', file, '--json'], {
    stdout: 'pipe',
    stderr: 'pipe',
    env: env({ LLM_BASE_URL: fake.url, LLM_CONTEXT_TOKENS: '8192' }),
  });
  const stdout = await new Response(p.stdout).text();
  expect(await p.exited).toBe(0);
  expect(JSON.parse(stdout).analysis.status).toBe('ok');
  const bodies = fake.chatBodies();
  expect(bodies).toHaveLength(1);
  const sent = JSON.stringify(bodies[0]);
  expect(sent).toContain('REDACTED');
  expect(leaksIn(sent, secrets)).toEqual([]);
  expect(leaksIn(stdout, secrets)).toEqual([]);
});
