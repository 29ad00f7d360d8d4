import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, describeConfig, loadConfig, VARIABLES } from '../../src/config.ts';

const load = (env: Record<string, string>) => loadConfig(env, '/srv/cb');

describe('configuration', () => {
  test('defaults: loopback, 9595, embedded database, folders under the data folder', () => {
    const c = load({});
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(9595);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBe('/srv/cb/data');
    expect(c.logsDir).toBe('/srv/cb/data/logs');
    expect(c.uploadsDir).toBe('/srv/cb/data/uploads');
    expect(c.llm.contextTokens).toBe(4096);
    expect(c.llm.baseUrl).toBeUndefined();
    expect(c.debugRedactedMode).toBe(false);
    expect(c.logLevel).toBe('info');
  });

  test('values are converted to their types', () => {
    const c = load({
      PORT: '8080',
      DEBUG_REDACTED_MODE: 'on',
      LOG_LEVEL: 'DEBUG',
      LLM_CONTEXT_TOKENS: '8192',
      CYBER_BRAIN_LOGS: '/logs',
    });
    expect(c.port).toBe(8080);
    expect(c.debugRedactedMode).toBe(true);
    expect(c.logLevel).toBe('debug');
    expect(c.llm.contextTokens).toBe(8192);
    expect(c.logsDir).toBe('/logs');
  });

  const bad: [string, string, RegExp][] = [
    ['PORT', 'abc', /^PORT="abc" is not valid: expected an integer from 0 to 65535$/],
    ['PORT', '70000', /^PORT="70000" is not valid/],
    ['DATABASE_URL', 'nonsense', /^DATABASE_URL=\(hidden\) is not valid: expected a URL like postgres:/],
    ['LOG_LEVEL', 'loud', /^LOG_LEVEL="loud" is not valid: expected debug, info, warn, error$/],
    ['DEBUG_REDACTED_MODE', 'maybe', /^DEBUG_REDACTED_MODE="maybe" is not valid: expected true or false/],
    ['DOCKER_HOST', '/var/run/docker.sock', /^DOCKER_HOST=.* expected unix:\/\/\/path\/docker.sock/],
    ['LLM_BASE_URL', 'ollama:11434', /^LLM_BASE_URL=.* expected an http\(s\) URL/],
  ];
  for (const [name, value, message] of bad) {
    test(`${name}=${value} is refused with one line naming it`, () => {
      let err: unknown;
      try {
        load({ [name]: value });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      const text = (err as Error).message;
      expect(text).toMatch(message);
      expect(text).not.toContain('\n');
    });
  }

  test('a secret value is never echoed in the error', () => {
    expect(() => load({ DATABASE_URL: 'mysql://root:hunter2@db/x' })).toThrow(/^(?!.*hunter2)/);
  });

  test('the old UPLOADS_DIR is read, with a deprecation warning; the new name wins', () => {
    const old = load({ UPLOADS_DIR: '/old' });
    expect(old.uploadsDir).toBe('/old');
    expect(old.warnings.join()).toContain('UPLOADS_DIR is deprecated');
    const both = load({ UPLOADS_DIR: '/old', CYBER_BRAIN_UPLOADS: '/new' });
    expect(both.uploadsDir).toBe('/new');
    expect(both.warnings).toEqual([]);
  });

  test('the effective configuration masks secrets and lists every variable', () => {
    const c = load({
      CYBER_BRAIN_TOKEN: 'tok-123',
      LLM_API_KEY: 'key-456',
      DATABASE_URL: 'postgres://u:pw@db:5432/cb',
    });
    const shown = describeConfig(c);
    expect(Object.keys(shown).sort()).toEqual(Object.keys(VARIABLES).sort());
    const text = JSON.stringify(shown);
    for (const secret of ['tok-123', 'key-456', ':pw@']) expect(text).not.toContain(secret);
    expect(shown.DATABASE_URL).toBe('postgres://u:********@db:5432/cb');
  });

  test('the README configuration table lists every variable', () => {
    const readme = readFileSync(join(import.meta.dir, '..', '..', 'README.md'), 'utf8');
    for (const name of Object.keys(VARIABLES)) expect(readme).toContain(`| \`${name}\` |`);
    expect(readme).toContain('`UPLOADS_DIR`');
  });
});
