// Reports rendered to HTML on the server. Raw HTML inside the markdown is shown as text, never
// executed (html: false), and links with unsafe schemes (javascript:, vbscript:, data: other than
// images) are not made into links (markdown-it's own link validation).
import MarkdownIt from 'markdown-it';
import type { EventBus } from '../../events/bus.ts';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

// A report sits inside a page under its own headings: its top heading becomes h(1 + shift) and no
// level is skipped going down, so the page's outline stays in order whatever the report used.
md.core.ruler.push('shift_headings', (state) => {
  const shift = (state.env as { headingShift?: number }).headingShift ?? 0;
  if (!shift) return;
  const level = (tag: string) => Number(tag.slice(1));
  const opens = state.tokens.filter((t) => t.type === 'heading_open');
  if (!opens.length) return;
  const top = Math.min(...opens.map((t) => level(t.tag)));
  let previous = shift; // the page's heading the report sits under
  let current = '';
  for (const token of state.tokens) {
    if (token.type === 'heading_open') {
      const wanted = Math.min(level(token.tag) - top + shift + 1, previous + 1, 6);
      previous = wanted;
      current = token.tag = `h${wanted}`;
    } else if (token.type === 'heading_close') token.tag = current;
  }
});

export function renderMarkdown(text: string, options: { headingShift?: number } = {}): string {
  return md.render(text, { headingShift: options.headingShift ?? 0 });
}

// Report files never change once written (their sha256 is recorded), and a big one takes a while
// to render: keep the last few, as UTF-8 bytes ready to send (encoding a page of a few MB again on
// every view costs more than the rest of the page), keyed by content hash and heading shift.
const CACHE_SIZE = 16;
const cache = new Map<string, Uint8Array<ArrayBuffer>>();
const encoder = new TextEncoder();

/**
 * A report rendered to HTML bytes. `read` is called only when the render is not cached (a big
 * report is then not even read from disk); null when the file is missing.
 */
export function reportHtml(
  read: () => string | null,
  options: { sha256: string; headingShift: number },
): Uint8Array<ArrayBuffer> | null {
  const key = `${options.sha256}:${options.headingShift}`;
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const text = read();
  if (text === null) return null;
  const html = encoder.encode(renderMarkdown(text, { headingShift: options.headingShift }));
  cache.set(key, html);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return html;
}

/** The heading shift of job reports on the run page (under "Report" h2 and the job's h3). */
export const REPORT_HEADING_SHIFT = 3;

/**
 * Renders each markdown report as soon as it is written, off the request path, so the first person
 * to open the run does not wait for it.
 */
export function prerenderReports(
  events: EventBus,
  read: (a: { run_id: number; path: string }) => string | null,
): () => void {
  return events.subscribe((e) => {
    if (e.type !== 'artifact.written') return;
    const d = e.data as { run_id?: number; path?: string; mime_type?: string; sha256?: string };
    if (d.mime_type !== 'text/markdown' || typeof d.run_id !== 'number' || typeof d.path !== 'string' || !d.sha256)
      return;
    const a = { run_id: d.run_id, path: d.path, sha256: d.sha256 };
    setTimeout(() => reportHtml(() => read(a), { sha256: a.sha256, headingShift: REPORT_HEADING_SHIFT }), 0);
  });
}
