// Who is looking at a page, as the pages need it: derived from the auth guard's principal.
import type { Config } from '../../config.ts';
import { principalOf } from '../principal.ts';
import type { Viewer } from './page.tsx';

export function viewerOf(ctx: object, config: Config): Viewer {
  const principal = principalOf(ctx);
  return { principal, authOn: config.auth.enabled, csrf: principal?.session?.csrf ?? '' };
}

/** Where a page may send the browser after a form: a path on this site, never another origin. */
export function localPath(raw: string | undefined, fallback: string): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return fallback;
  return raw;
}
