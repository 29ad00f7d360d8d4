// The redaction step against the forms a log line carries secrets in: every form the issue lists,
// the whole corpus (no 8-character run of a secret survives, ordinary lines are left alone), PEM blocks
// across lines, and the known-value matcher (verbatim values whatever surrounds them).
import { describe, expect, test } from 'bun:test';
import { knownValueMatcher, lineRedactor, redact, secretValuesOf } from '../../src/redact/index.ts';
import { applianceSecrets } from '../../src/redact/appliance.ts';
import { leaksIn, loadCorpus } from '../support/secrets-corpus.ts';

const S = 'Zq8vK2mXw9Lp';

describe('forms that leaked before (issue 15)', () => {
  const lines: [string, string][] = [
    ['env-style name', `DB_PASS=${S}`],
    ['pass=', `login pass=${S} user=bob`],
    ['key=', `key=${S}`],
    ['sig=', `GET /x?sig=${S}&a=1`],
    ['--password X', `tool --password ${S} --verbose`],
    ['password is X', `the password is ${S}`],
    ['passphrase: X', `passphrase: ${S}`],
    ['X-Api-Key X', `X-Api-Key ${S}`],
    ['redis AUTH', `redis AUTH ${S}`],
    ['k => v', `:token => "${S}"`],
    ['--k=v', `--api-key=${S}`],
    ['mysql -pX', `mysql -u root -p${S} app`],
    ['HTTP header', `Authorization: Digest username="bob", response="${S}"`],
    ['URL query', `https://h/cb?access_token=${S}&state=1`],
    ['with password X', `connected with password ${S}`],
    ['using token X', `using token ${S} for registry`],
    ['mongodb+srv', `mongodb+srv://u:${S}@c0.example.net/db`],
    ['Set-Cookie', `Set-Cookie: sid=${S}; Path=/`],
  ];
  for (const [name, line] of lines) {
    test(name, () => {
      const out = redact(line).text;
      expect(out).not.toContain(S.slice(0, 8));
      expect(out).toContain('[REDACTED:');
    });
  }
});

test('the corpus: no secret survives the line redactor; ordinary lines come out as they went in', () => {
  const corpus = loadCorpus();
  expect(corpus.filter((c) => c.secret).length).toBeGreaterThanOrEqual(300);
  expect(new Set(corpus.filter((c) => c.secret).map((c) => c.form)).size).toBeGreaterThanOrEqual(50);
  const r = lineRedactor();
  const leaked: string[] = [];
  for (const c of corpus) {
    const out = r.line(c.line);
    if (c.secret && leaksIn(out, [c.secret]).length) leaked.push(`${c.form}: ${out}`);
    if (c.form === 'ordinary') expect(out).toBe(c.line);
  }
  expect(leaked).toEqual([]);
});

test('a PEM block over several lines is masked whole, body lines included', () => {
  const r = lineRedactor();
  const out = [
    'boot',
    '-----BEGIN EC PRIVATE KEY-----',
    'MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oPHpGF+U2mwHoAoGCCqGSM49',
    'AwEHoUQDQgAEN7c3BPDHGZ1pSJ3kvlXl',
    '-----END EC PRIVATE KEY-----',
    'after',
  ].map((l) => r.line(l));
  expect(out).toEqual([
    'boot',
    '[REDACTED:private_key]',
    '[REDACTED:private_key]',
    '[REDACTED:private_key]',
    '[REDACTED:private_key]',
    'after',
  ]);
  // and as one text
  expect(
    redact('a\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\nb').text,
  ).toBe('a\n[REDACTED:private_key]\nb');
});

test('an open block stops being followed after 200 lines (a missing END must not mask a whole log)', () => {
  const r = lineRedactor();
  r.line('-----BEGIN RSA PRIVATE KEY-----');
  for (let i = 0; i < 199; i++) r.line('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=');
  expect(r.line('still key?')).toBe('[REDACTED:private_key]');
  expect(r.line('ordinary again')).toBe('ordinary again');
});

describe('known values', () => {
  test('masked verbatim whatever surrounds them, overlapping ones as one', () => {
    const known = knownValueMatcher(['hunter2canary', 'canary-blue-77', 'abcdefgh', 'cdefghij']);
    const r = lineRedactor(known);
    expect(r.line('using hunter2canary for db')).toBe('using [REDACTED:known_value] for db');
    expect(r.line('x=hunter2canary-blue-77y')).toBe('x=[REDACTED:known_value]y');
    expect(r.line('zzabcdefghijzz')).toBe('zz[REDACTED:known_value]zz');
    expect(r.line('nothing here')).toBe('nothing here');
    expect(r.counts.known_value).toBe(3);
  });

  test('hundreds of values: one pass, and every value found', () => {
    const values = Array.from({ length: 500 }, (_, i) => `val${i.toString(36)}x${(i * 7919).toString(36)}Q${i}`);
    const known = knownValueMatcher(values);
    const r = lineRedactor(known);
    for (const v of values) expect(r.line(`prefix ${v} suffix`)).toBe('prefix [REDACTED:known_value] suffix');
    const line = 'INFO GET /api/items/42 200 in 12ms from worker-3 with no secret in it at all, just words';
    const t0 = performance.now();
    for (let i = 0; i < 20_000; i++) r.line(line);
    // a loose bound (shared machines): far below what a value-by-value search would cost
    expect((performance.now() - t0) / 20_000).toBeLessThan(0.05);
  });

  test('structure is not a secret: names the inventory knows, images, numbers, durations, paths, plain URLs and hosts', () => {
    const structure = new Set(['cb-postgres-main', 'backend-network']);
    const env = [
      ['DB_HOST', 'cb-postgres-main'],
      ['NET', 'backend-network'],
      ['IMAGE', 'ghcr.io/acme/app:1.2.3'],
      ['PORT_BIG', '123456789'],
      ['FLAG', 'true'],
      ['TIMEOUT', '1h30m15s'],
      ['DATA', '/var/lib/app/data'],
      ['API', 'https://api.example.com/v1'],
      ['UPSTREAM', 'mirror.example.org:8443'],
      ['SHORT', 'abc1234'],
      ['PATH', '/usr/bin:/bin'],
      ['TZ', 'Europe/Berlin'],
      ['TENANT', 'acme-blue-tenant'],
      ['SEED_WORD', 'correct horse battery'],
      ['DATABASE_URL', 'postgres://app:s3cr3tPassw0rd@db/app'],
    ].map(([name, value]) => ({ name: name!, value: value! }));
    expect(secretValuesOf(env, structure).sort()).toEqual([
      'acme-blue-tenant',
      'correct horse battery',
      's3cr3tPassw0rd',
    ]);
  });

  test("the appliance's own secrets: the token, the database password, the model key", () => {
    const secrets = applianceSecrets({
      token: 'admin-token-0123456789',
      databaseUrl: 'postgres://cb:db-Passw0rd-xyz@db/cb',
      llm: { apiKey: 'sk-local-model-key-42' },
    });
    expect(secrets.sort()).toEqual(['admin-token-0123456789', 'db-Passw0rd-xyz', 'sk-local-model-key-42']);
  });
});

test('lines with secret-sounding words and no secret are left alone', () => {
  const lines = [
    'INFO session opened for user root by (uid=0)',
    'token bucket refilled; secrets manager is reachable',
    'WARN Basic authentication is disabled',
    'ERROR authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=node-1',
    'DEBUG key exchange done, cipher aes256-gcm',
    'Processed session termination for sessionid: 0x14ede63a5a70002',
    'INFO password: is too short (min 12)',
    'sig=11 received by worker',
    'auth_method=password',
    '-[Engine _writeJournalRecord:fromCellFingerprint:key:atLOI:ofKind:lqm:isFaulty:] Hashing failed',
    'loading /home/user/projects/some-long-directory-name/and/another/level/file.txt',
  ];
  for (const l of lines) expect(redact(l)).toEqual({ text: l, counts: {} });
});
