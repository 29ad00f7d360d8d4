import { describe, expect, test } from 'bun:test';
import { ConfigError, describeConfig, loadConfig } from '../../src/config.ts';
import { isLocalModelUrl } from '../../src/llm/local-only.ts';

describe('local-only model server guard', () => {
  const local = [
    'http://127.0.0.1:11434',
    'http://127.8.9.10/v1',
    'http://localhost:8080/v1',
    'http://LOCALHOST:8080',
    'http://ollama.localhost',
    'http://10.0.0.5:11434/v1',
    'http://172.16.0.1',
    'http://172.31.255.254:1234',
    'http://192.168.1.20:8000/v1',
    'http://169.254.10.20',
    'http://0x7f.1:11434', // the URL parser turns this into 127.0.0.1
    'http://2130706433/', // ditto, 127.0.0.1 as one number
    'http://[::1]:11434/v1',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://[fd12:3456:789a::1]:8080',
    'http://[fc00::5]',
    'http://[fe80::1ff:fe23:4567:890a]',
    'http://[::ffff:192.168.0.9]:11434', // IPv4-mapped
    'http://[::ffff:7f00:1]',
    'http://ollama:11434/v1', // single-label (a compose service name)
    'http://gpu-box.',
    'http://llm.local:11434',
    'http://models.lan/v1',
    'http://inference.home.arpa',
    'https://Box.Home.Arpa:8443',
  ];
  for (const url of local) test(`local: ${url}`, () => expect(isLocalModelUrl(url)).toBe(true));

  const remote = [
    'https://api.openai.com/v1',
    'http://8.8.8.8:11434',
    'http://172.15.255.255',
    'http://172.32.0.1',
    'http://192.169.0.1',
    'http://11.0.0.1',
    'http://100.64.0.1', // carrier-grade NAT is not in the allowed set
    'http://0.0.0.0:11434',
    'http://[2001:db8::1]',
    'http://[::ffff:8.8.8.8]',
    'http://[::]/',
    'http://[fec0::1]',
    'http://127.0.0.1.nip.io', // a public name that merely looks local
    'http://local.example.com',
    'http://evil.lan.example.com',
    'http://home.arpa.evil.com',
    'not a url',
  ];
  for (const url of remote) test(`remote: ${url}`, () => expect(isLocalModelUrl(url)).toBe(false));
});

describe('LLM_BASE_URL / LLM_ALLOW_REMOTE at start', () => {
  test('a remote server is refused with one line naming the variable and the way out', () => {
    let err: unknown;
    try {
      loadConfig({ LLM_BASE_URL: 'https://user:sk-secret@api.example.com/v1?key=abc' }, '/srv');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toMatch(
      /^LLM_BASE_URL="https:\/\/api\.example\.com:443" is not allowed: expected a local model server .*LLM_ALLOW_REMOTE=true/,
    );
    expect(message).not.toContain('\n');
    for (const secret of ['sk-secret', 'key=abc', 'user']) expect(message).not.toContain(secret);
  });

  test('LLM_ALLOW_REMOTE=true lets a remote server through; default false', () => {
    const remote = loadConfig({ LLM_BASE_URL: 'https://api.example.com/v1', LLM_ALLOW_REMOTE: 'true' }, '/srv');
    expect(remote.llm.allowRemote).toBe(true);
    expect(remote.llm.baseUrl).toBe('https://api.example.com/v1');
    const dflt = loadConfig({ LLM_BASE_URL: 'http://192.168.1.2:11434' }, '/srv');
    expect(dflt.llm.allowRemote).toBe(false);
    expect(describeConfig(dflt).LLM_ALLOW_REMOTE).toBe(false);
    expect(loadConfig({}, '/srv').llm.baseUrl).toBeUndefined();
  });

  test('LLM_ALLOW_REMOTE takes a boolean only', () => {
    expect(() => loadConfig({ LLM_ALLOW_REMOTE: 'sure' }, '/srv')).toThrow(
      /^LLM_ALLOW_REMOTE="sure" is not valid: expected true or false/,
    );
  });
});
