// The page shells and the HTML response. Server-rendered; every dynamic text goes through `safe`
// (children are not escaped by default in this JSX runtime).
import type { Children } from '@kitajs/html';
import type { Principal } from '../../auth/tokens.ts';
import type { Scope } from '../../auth/scope.ts';
import { scopeAllows } from '../../auth/scope.ts';
import { CSRF_FIELD } from '../auth-guard.ts';

/** What every page knows about the request: who is looking, and the form token their posts carry. */
export interface Viewer {
  principal: Principal | null;
  authOn: boolean;
  /** The session's CSRF token; empty when auth is off or the caller used a bearer token. */
  csrf: string;
}

export const can = (viewer: Viewer, scope: Scope) =>
  viewer.principal !== null && scopeAllows(viewer.principal.scope, scope);

/** A bare page: the login page and error pages. */
export function Page(props: { title: string; children?: Children }): JSX.Element {
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title safe>{`${props.title} · Cyber-Brain`}</title>
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href="/static/app.css" />
        </head>
        <body class="bare">
          <main>{props.children}</main>
        </body>
      </html>
    </>
  );
}

const NAV: { href: string; label: string }[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/runs', label: 'Runs' },
  { href: '/directives', label: 'Directives' },
  { href: '/containers', label: 'Containers' },
  { href: '/service-map', label: 'Service map' },
  { href: '/gpu', label: 'GPU' },
  { href: '/watch', label: 'Watch' },
  { href: '/settings', label: 'Settings' },
];

/** The application layout: navigation, sign-out, Alpine and our small script. */
export function Layout(props: { title: string; active: string; viewer: Viewer; children?: Children }): JSX.Element {
  const { viewer } = props;
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title safe>{`${props.title} · Cyber-Brain`}</title>
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href="/static/app.css" />
          <script defer src="/static/app.js"></script>
          <script defer src="/static/alpine.js"></script>
        </head>
        <body>
          <header class="top">
            <a class="brand" href="/">
              Cyber-Brain
            </a>
            <nav aria-label="Main">
              {NAV.map((n) => (
                <a href={n.href} aria-current={n.href === props.active ? 'page' : undefined} safe>
                  {n.label}
                </a>
              ))}
            </nav>
            <div class="who">
              {!viewer.authOn ? (
                <span class="badge warn" title="Bound to loopback with no token configured">
                  auth off
                </span>
              ) : viewer.principal ? (
                <>
                  <span safe>{`${viewer.principal.name} (${viewer.principal.scope})`}</span>
                  {viewer.csrf ? (
                    <form method="post" action="/logout" class="inline">
                      <button type="submit">Sign out</button>
                    </form>
                  ) : (
                    ''
                  )}
                </>
              ) : (
                ''
              )}
            </div>
          </header>
          <main>{props.children}</main>
        </body>
      </html>
    </>
  );
}

/** The hidden field every state-changing form carries (the auth guard checks it for sessions). */
export function CsrfField(props: { viewer: Viewer }): JSX.Element {
  return props.viewer.csrf ? <input type="hidden" name={CSRF_FIELD} value={props.viewer.csrf} /> : '';
}

// Alpine's standard build evaluates attribute expressions with Function(), hence 'unsafe-eval'.
// Nothing user-derived ever reaches an attribute unescaped, and no inline script is allowed.
const PAGE_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/**
 * Bytes kept ready to send (a big rendered report) placed into a page without turning them into a
 * string again: the page holds a marker per part, and the response is sent as the pieces between
 * them. Escaped text can never form a marker (it has no raw `<!--`).
 */
export class PageParts {
  private readonly parts: Uint8Array<ArrayBuffer>[] = [];

  /** The marker to put in the page where these bytes go. */
  slot(bytes: Uint8Array<ArrayBuffer>): string {
    return `<!--cb-part-${this.parts.push(bytes) - 1}-->`;
  }

  body(html: string): string | Blob {
    if (!this.parts.length) return html;
    const pieces = html.split(/<!--cb-part-(\d+)-->/);
    return new Blob(pieces.map((piece, i) => (i % 2 === 1 ? this.parts[Number(piece)]! : piece)));
  }
}

export function htmlResponse(body: JSX.Element | Blob, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body as string | Blob, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      'cache-control': 'no-store',
      'content-security-policy': PAGE_CSP,
      ...headers,
    },
  });
}

/** After a form post: back to a page (Post/Redirect/Get). */
export const seeOther = (location: string) => new Response(null, { status: 303, headers: { location } });
