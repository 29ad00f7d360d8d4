// Reports rendered to HTML on the server. Raw HTML inside the markdown is shown as text, never
// executed (html: false), and links with unsafe schemes (javascript:, vbscript:, data: other than
// images) are not made into links (markdown-it's own link validation).
import MarkdownIt from 'markdown-it';
import { createHash } from 'node:crypto';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

// Reports are immutable once written and often large; keep the last few renders.
const CACHE_SIZE = 16;
const cache = new Map<string, string>();

export function renderMarkdown(text: string): string {
  const key = createHash('sha256').update(text).digest('base64');
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const html = md.render(text);
  cache.set(key, html);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return html;
}
