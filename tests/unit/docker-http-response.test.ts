import { describe, expect, test } from 'bun:test';
import { HttpProtocolError, HttpResponseReader } from '../../src/docker/http-response.ts';

const enc = new TextEncoder();

function read(raw: string, chunk: number, close = true) {
  const r = new HttpResponseReader();
  const body: number[] = [];
  const input = enc.encode(raw);
  let done = false;
  for (let i = 0; i < input.length && !done; i += chunk)
    done = r.push(input.slice(i, i + chunk), (p) => body.push(...p));
  if (!done && close) r.closed();
  return { status: r.head?.status, body: new TextDecoder().decode(new Uint8Array(body)), done };
}

describe('HTTP response reader (log transport)', () => {
  const chunked =
    'HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1;ext=1\r\n \r\n6\r\nworld!\r\n0\r\n\r\n';

  test('chunked bodies are decoded however the bytes arrive', () => {
    for (const size of [1, 2, 3, 7, 64, 4096])
      expect(read(chunked, size)).toEqual({ status: 200, body: 'hello world!', done: true });
  });

  test('a body with Content-Length ends at its length; one without ends when the connection closes', () => {
    expect(read('HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\n{"x"', 3)).toEqual({
      status: 404,
      body: '{"x"',
      done: true,
    });
    expect(read('HTTP/1.1 200 OK\r\n\r\nuntil close', 5)).toEqual({ status: 200, body: 'until close', done: false });
  });

  test('a connection cut in the middle of a chunked body is an error, not a short log', () => {
    expect(() => read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nonly part', 4)).toThrow(
      HttpProtocolError,
    );
  });

  test('garbage is refused', () => {
    expect(() => read('SSH-2.0-OpenSSH\r\n\r\n', 100)).toThrow(HttpProtocolError);
    expect(() => read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 100)).toThrow(HttpProtocolError);
  });
});
