import { describe, expect, test } from 'bun:test';
import { redact } from '../../src/redact/index.ts';

describe('redaction', () => {
  test('addresses and emails', () => {
    const r = redact('login from 192.168.1.20 and 2001:db8::8a2e:370:7334 by ops@example.com');
    expect(r.text).toBe('login from [REDACTED:ipv4] and [REDACTED:ipv6] by [REDACTED:email]');
    expect(r.counts).toEqual({ ipv4: 1, ipv6: 1, email: 1 });
  });

  test('credentials in URLs keep the scheme and host', () => {
    const r = redact('connecting to postgres://app:s3cretPw@db:5432/app');
    expect(r.text).toBe('connecting to postgres://[REDACTED:url_credentials]@db:5432/app');
  });

  test('bearer tokens and JWTs', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(redact(`Authorization: Bearer ${jwt}`).text).toBe('Authorization: Bearer [REDACTED:jwt]');
    expect(redact('Authorization: Bearer abc123def456ghi789').text).toBe(
      'Authorization: Bearer [REDACTED:bearer_token]',
    );
  });

  test('cloud access keys', () => {
    const r = redact('using AKIAIOSFODNN7EXAMPLE and ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(r.text).toBe('using [REDACTED:cloud_key] and [REDACTED:cloud_key]');
    expect(r.counts.cloud_key).toBe(2);
  });

  test('private key blocks', () => {
    const r = redact(
      'key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\nend',
    );
    expect(r.text).toBe('key:\n[REDACTED:private_key]\nend');
  });

  test('secret pairs in = , : and JSON forms', () => {
    expect(redact('password=hunter2 user=bob').text).toBe('password=[REDACTED:secret_pair] user=bob');
    expect(redact('api_key: abcd1234, mode: fast').text).toBe('api_key: [REDACTED:secret_pair], mode: fast');
    expect(redact('{"client_secret": "x y z", "name": "svc"}').text).toBe(
      '{"client_secret": "[REDACTED:secret_pair]", "name": "svc"}',
    );
    expect(redact('DB_PASSWORD="p@ss w0rd" next').text).toBe('DB_PASSWORD="[REDACTED:secret_pair]" next');
  });

  test('long hex and base64 secrets', () => {
    const r = redact(
      'sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 tok Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MEFCQ0RFRkdI',
    );
    expect(r.text).toBe('sha [REDACTED:long_secret] tok [REDACTED:long_secret]');
  });

  test('ordinary words, numbers, times and versions are not mangled', () => {
    const lines = [
      '2024-05-01T10:22:33.123Z INFO GET /api/items/42 200 12ms',
      'Jun 14 15:16:01 combo sshd[19939]: session opened for user root',
      'version 1.2.3 build 20240501 took 3.5s at 12:30:45, pid 4242',
      'token bucket refilled; secrets manager is reachable',
      'The quick brown fox jumps over the lazy dog 1234567890',
    ];
    for (const l of lines) expect(redact(l)).toEqual({ text: l, counts: {} });
  });
});
