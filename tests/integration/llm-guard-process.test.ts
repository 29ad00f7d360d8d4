// The real process refuses a remote model server at start, with one line, unless LLM_ALLOW_REMOTE=true.
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAppCommand } from '../support/app-process.ts';
import { seedDataFolder } from '../support/embedded-template.ts';

const root = mkdtempSync(join(tmpdir(), 'cb-llm-guard-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('local-only model server, in the real process', () => {
  test('a public LLM_BASE_URL stops the start with one line naming the variable and LLM_ALLOW_REMOTE', async () => {
    const r = await runAppCommand({
      CYBER_BRAIN_DATA: join(root, 'refused'),
      LLM_BASE_URL: 'https://api.example.com/v1?key=sk-live-123',
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /^cyber-brain: LLM_BASE_URL="https:\/\/api\.example\.com:443" is not allowed: expected a local model server .*LLM_ALLOW_REMOTE=true to use a remote one\n$/,
    );
    expect(r.stderr + r.stdout).not.toContain('sk-live-123');
    expect(r.stdout).not.toContain('listening');
  });

  test('an IPv6 global address is refused too; a private one passes the check', async () => {
    const refused = await runAppCommand({
      CYBER_BRAIN_DATA: join(root, 'v6'),
      LLM_BASE_URL: 'http://[2001:db8::7]:11434',
    });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('LLM_BASE_URL="http://[2001:db8::7]:11434" is not allowed');
    const data = join(root, 'private');
    await seedDataFolder(data);
    const ok = await runAppCommand({ CYBER_BRAIN_DATA: data, LLM_BASE_URL: 'http://192.168.50.2:11434/v1' }, [
      'migrate',
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.exitCode).toBe(0);
  }, 60_000);

  test('LLM_ALLOW_REMOTE=true lets the same URL through', async () => {
    const data = join(root, 'allowed');
    await seedDataFolder(data);
    const r = await runAppCommand(
      { CYBER_BRAIN_DATA: data, LLM_BASE_URL: 'https://api.example.com/v1', LLM_ALLOW_REMOTE: 'true' },
      ['migrate'],
    );
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  }, 60_000);
});
