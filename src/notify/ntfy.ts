// ntfy: POST the text to the topic URL; Title, Priority (1-5), Tags and Click headers; an access token
// as a bearer. Header values must be plain ASCII-safe text, so the title is sent RFC 2047-free: the
// non-ASCII characters are replaced.
import { cut, post, type Message, type SendResult, type Severity } from './message.ts';

const PRIORITY: Record<Severity, string> = { info: '2', warning: '3', error: '4', critical: '5' };
const TAG: Record<Severity, string> = {
  info: 'information_source',
  warning: 'warning',
  error: 'rotating_light',
  critical: 'rotating_light',
};

const headerSafe = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');

export async function sendNtfy(dest: { url: string; token?: string }, m: Message): Promise<SendResult> {
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    title: headerSafe(cut(m.title, 200)),
    priority: PRIORITY[m.severity],
    tags: `${TAG[m.severity]},${m.event}`,
  };
  if (m.url) headers.click = m.url;
  if (dest.token) headers.authorization = `Bearer ${dest.token}`;
  return post(dest.url, { headers, body: cut(m.text, 4000) });
}
