// Gotify: POST <server>/message with the application token in X-Gotify-Key and JSON
// {title, message, priority, extras}; a link opens the run page.
import { post, type Message, type SendResult, type Severity } from './message.ts';

const PRIORITY: Record<Severity, number> = { info: 2, warning: 5, error: 8, critical: 10 };

export function gotifyBody(m: Message): Record<string, unknown> {
  const body: Record<string, unknown> = { title: m.title, message: m.text, priority: PRIORITY[m.severity] };
  if (m.url) body.extras = { 'client::notification': { click: { url: m.url } } };
  return body;
}

export async function sendGotify(dest: { url: string; token: string }, m: Message): Promise<SendResult> {
  const url = `${dest.url.replace(/\/+$/, '')}/message`;
  return post(url, {
    headers: { 'content-type': 'application/json', 'x-gotify-key': dest.token },
    body: JSON.stringify(gotifyBody(m)),
  });
}
