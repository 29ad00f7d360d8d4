// Discord webhook: JSON {content, embeds: [{title, description, color, url, timestamp}]}; content at
// most 2,000 characters, an embed's description 4,096.
import { cut, post, type Message, type SendResult, type Severity } from './message.ts';

const COLOR: Record<Severity, number> = { info: 0x3498db, warning: 0xf1c40f, error: 0xe74c3c, critical: 0x8b0000 };

export function discordBody(m: Message): Record<string, unknown> {
  const embed: Record<string, unknown> = {
    title: cut(m.title, 256),
    description: cut(m.text, 4096),
    color: COLOR[m.severity],
    timestamp: m.first_seen,
  };
  if (m.url) embed.url = m.url;
  return { content: cut(m.title, 2000), embeds: [embed], allowed_mentions: { parse: [] } };
}

export async function sendDiscord(dest: { url: string }, m: Message): Promise<SendResult> {
  return post(dest.url, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(discordBody(m)) });
}
