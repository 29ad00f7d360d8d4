// Talking to the web UI as a browser would, through app.handle(): sign in, fetch pages, post forms.
import { expect } from 'bun:test';

interface Handler {
  handle(r: Request): Promise<Response>;
}

export interface BrowserSession {
  cookie: string;
  csrf: string;
}

/** Signs in through the login form and reads the session's CSRF token. */
export async function signIn(app: Handler, token: string): Promise<BrowserSession> {
  const res = await app.handle(
    new Request('http://localhost/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    }),
  );
  expect(res.status).toBe(303);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const me = await app.handle(new Request('http://localhost/api/session', { headers: { cookie } }));
  const csrf = ((await me.json()) as { csrf_token: string }).csrf_token;
  return { cookie, csrf };
}

/** GET a page as a browser (Accept: text/html), optionally signed in, with any further headers. */
export async function getPage(
  app: Handler,
  path: string,
  session?: BrowserSession,
  extra: Record<string, string> = {},
): Promise<{ status: number; html: string; headers: Headers }> {
  const headers: Record<string, string> = { accept: 'text/html,application/xhtml+xml', ...extra };
  if (session) headers.cookie = session.cookie;
  const res = await app.handle(new Request(`http://localhost${path}`, { headers }));
  return { status: res.status, html: await res.text(), headers: res.headers };
}

/** POST a form as a browser from our own page; `csrf: false` leaves the token out, a string sends that one instead. */
export async function postForm(
  app: Handler,
  path: string,
  fields: [string, string][] | Record<string, string>,
  session?: BrowserSession,
  opts: { csrf?: false | string; origin?: string } = {},
): Promise<{ status: number; location: string | null; text: string }> {
  const body = new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields));
  if (session && opts.csrf !== false) body.append('_csrf', opts.csrf ?? session.csrf);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    origin: opts.origin ?? 'http://localhost',
    accept: 'text/html',
  };
  if (session) headers.cookie = session.cookie;
  const res = await app.handle(new Request(`http://localhost${path}`, { method: 'POST', headers, body }));
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}
