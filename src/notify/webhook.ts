// Generic webhook: POST of the JSON body {id, event, severity, host, container, title, text, count,
// first_seen, run_id, url}; with a secret, X-CyberBrain-Signature: sha256=<hex HMAC-SHA256 of the body>.
import { createHmac } from 'node:crypto';
import { post, type Message, type SendResult } from './message.ts';

export const SIGNATURE_HEADER = 'X-CyberBrain-Signature';

export function webhookBody(m: Message): string {
  const { id, event, severity, host, container, title, text, count, first_seen, run_id, url } = m;
  return JSON.stringify({ id, event, severity, host, container, title, text, count, first_seen, run_id, url });
}

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function sendWebhook(dest: { url: string; secret?: string }, m: Message): Promise<SendResult> {
  const body = webhookBody(m);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-cyberbrain-id': m.id };
  if (dest.secret) headers[SIGNATURE_HEADER.toLowerCase()] = signBody(body, dest.secret);
  return post(dest.url, { headers, body });
}
