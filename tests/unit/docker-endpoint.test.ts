import { describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DOCKER_SOCKET, dockerEndpoint } from '../../src/docker/client.ts';

describe('Docker endpoint from the standard variables', () => {
  test('unset: the default socket', () => {
    expect(dockerEndpoint(undefined, {})).toEqual({
      display: `unix://${DEFAULT_DOCKER_SOCKET}`,
      options: { socketPath: DEFAULT_DOCKER_SOCKET },
    });
  });

  test('unix:// path', () => {
    expect(dockerEndpoint('unix:///run/user/1000/docker.sock', {}).options).toEqual({
      socketPath: '/run/user/1000/docker.sock',
    });
  });

  test('tcp:// plain and with DOCKER_TLS_VERIFY + DOCKER_CERT_PATH', () => {
    expect(dockerEndpoint('tcp://10.0.0.5:2375', {})).toMatchObject({
      display: 'http://10.0.0.5:2375',
      options: { protocol: 'http', host: '10.0.0.5', port: '2375' },
    });
    const dir = mkdtempSync(join(tmpdir(), 'cb-certs-'));
    try {
      for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, f), `--- ${f} ---`);
      const ep = dockerEndpoint('tcp://nas.lan:2376', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir });
      expect(ep.display).toBe('https://nas.lan:2376');
      expect(ep.options.protocol).toBe('https');
      expect(String(ep.options.ca)).toBe('--- ca.pem ---');
      expect(String(ep.options.key)).toBe('--- key.pem ---');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('ssh://user@host: shown without credentials', () => {
    const ep = dockerEndpoint('ssh://ops:secret@box.lan', {});
    expect(ep.display).toBe('ssh://box.lan');
    expect(ep.options).toMatchObject({ protocol: 'ssh', host: 'box.lan', username: 'ops' });
  });
});
