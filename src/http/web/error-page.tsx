// Errors as a browser sees them: a sign-in redirect for a missing session, a readable page otherwise.
// API clients (no text/html in Accept) keep getting the one JSON error shape.
import { Page, htmlResponse } from './page.tsx';

const API_PREFIXES = ['/api', '/mcp', '/sse', '/messages', '/metrics', '/healthz', '/readyz', '/static/'];

/** A browser asking for a page (not the API, not a script). */
export function wantsPage(request: Request): boolean {
  const path = new URL(request.url).pathname;
  if (API_PREFIXES.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`))) return false;
  return (request.headers.get('accept') ?? '').includes('text/html');
}

export function loginRedirect(request: Request): Response {
  const url = new URL(request.url);
  const next = request.method === 'GET' ? `?next=${encodeURIComponent(url.pathname + url.search)}` : '';
  return new Response(null, { status: 303, headers: { location: `/login${next}` } });
}

export function errorPage(status: number, code: string, message: string): Response {
  return htmlResponse(
    <Page title={status === 404 ? 'Not found' : 'Error'}>
      <h1 safe>{status === 404 ? 'Not found' : `Something went wrong (${status})`}</h1>
      <p safe>{message}</p>
      <p class="muted">
        Code: <code safe>{code}</code>
      </p>
      <p>
        <a href="/">Back to the dashboard</a>
      </p>
    </Page>,
    status,
  );
}
