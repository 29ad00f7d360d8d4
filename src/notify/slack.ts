// Slack incoming webhook: JSON {text, blocks}: text is the notification fallback, blocks a header and a
// section (mrkdwn, at most 3,000 characters), and a link to the run when there is one.
import { cut, post, type Message, type SendResult } from './message.ts';

/** Slack's mrkdwn treats &, < and > as control characters. */
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackBody(m: Message): Record<string, unknown> {
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(m.title, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: cut(escapeText(m.text), 3000) } },
  ];
  if (m.url) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${m.url}|Open in Cyber-Brain>` }] });
  return { text: cut(m.title, 3000), blocks };
}

export async function sendSlack(dest: { url: string }, m: Message): Promise<SendResult> {
  return post(dest.url, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(slackBody(m)) });
}
