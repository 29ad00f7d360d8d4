// `cyber-brain healthcheck`: which URL it asks, and its exit status for an ok, a failing and a missing server.
import { afterAll, describe, expect, test } from 'bun:test';
import { DEFAULT_HOST, DEFAULT_PORT, healthcheck, healthzUrl } from '../../src/cli/healthcheck.ts';
import { VARIABLES } from '../../src/config.ts';

describe('healthcheck', () => {
  const servers: ReturnType<typeof Bun.serve>[] = [];
  const serve = (answer: () => Response) => {
    const s = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: (req) => (new URL(req.url).pathname === '/healthz' ? answer() : new Response('no', { status: 404 })),
    });
    servers.push(s);
    return String(s.port);
  };
  afterAll(() => {
    for (const s of servers) s.stop(true);
  });

  test('its defaults are the server defaults of src/config.ts', () => {
    expect(DEFAULT_HOST).toBe(VARIABLES.HOST.default!);
    expect(DEFAULT_PORT).toBe(VARIABLES.PORT.default!);
    expect(healthzUrl({})).toBe(`http://127.0.0.1:${VARIABLES.PORT.default}/healthz`);
  });

  test('a wildcard bind is asked on loopback; a named host as is; IPv6 in brackets', () => {
    expect(healthzUrl({ HOST: '0.0.0.0', PORT: '9595' })).toBe('http://127.0.0.1:9595/healthz');
    expect(healthzUrl({ HOST: '::', PORT: '80' })).toBe('http://127.0.0.1:80/healthz');
    expect(healthzUrl({ HOST: '::1', PORT: '80' })).toBe('http://[::1]:80/healthz');
    expect(healthzUrl({ HOST: 'brain.lan', PORT: '9000' })).toBe('http://brain.lan:9000/healthz');
    expect(() => healthzUrl({ PORT: '0' })).toThrow(/PORT="0"/);
    expect(() => healthzUrl({ PORT: 'http' })).toThrow(/PORT/);
  });

  test('exit 0 for {"status":"ok"}; 1 for another answer, a 503, a timeout or nobody listening', async () => {
    expect(await healthcheck({ PORT: serve(() => Response.json({ status: 'ok' })) })).toBe(0);
    expect(await healthcheck({ PORT: serve(() => Response.json({ status: 'starting' })) })).toBe(1);
    expect(await healthcheck({ PORT: serve(() => Response.json({ status: 'ok' }, { status: 503 })) })).toBe(1);
    expect(
      await healthcheck({ PORT: serve(() => new Response(new ReadableStream({ pull: () => Bun.sleep(5000) }))) }, 200),
    ).toBe(1);
    const free = serve(() => new Response('x'));
    servers.pop()!.stop(true);
    expect(await healthcheck({ PORT: free })).toBe(1);
  });
});
