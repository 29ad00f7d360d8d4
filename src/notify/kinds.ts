// Destination kinds: which fields each needs, which of them are secret (stored, never shown back, never
// logged), how a stored destination is shown (masked) and how a message is sent to it.
import { sendDiscord } from './discord.ts';
import { sendEmail, type SmtpSecurity } from './email.ts';
import { sendGotify } from './gotify.ts';
import type { Message, SendResult } from './message.ts';
import { sendNtfy } from './ntfy.ts';
import { sendSlack } from './slack.ts';
import { sendWebhook } from './webhook.ts';

export type DestinationKind = 'webhook' | 'ntfy' | 'discord' | 'slack' | 'gotify' | 'email';
export const DESTINATION_KINDS: readonly DestinationKind[] = ['webhook', 'ntfy', 'discord', 'slack', 'gotify', 'email'];

/** Every field a destination body may carry (the kind decides which are needed). */
export interface DestinationFields {
  url?: string;
  token?: string;
  secret?: string;
  host?: string;
  port?: number;
  security?: SmtpSecurity;
  username?: string;
  password?: string;
  from?: string;
  to?: string[];
  allow_self_signed?: boolean;
}

/** Fields kept secret: all URLs (webhook URLs carry their token; a ntfy topic is its password), tokens, passwords. */
const SECRET_FIELDS = ['url', 'token', 'secret', 'password'] as const;
type SecretField = (typeof SECRET_FIELDS)[number];

const REQUIRED: Record<DestinationKind, (keyof DestinationFields)[]> = {
  webhook: ['url'],
  ntfy: ['url'],
  discord: ['url'],
  slack: ['url'],
  gotify: ['url', 'token'],
  email: ['host', 'port', 'security', 'from', 'to'],
};
const ALLOWED: Record<DestinationKind, (keyof DestinationFields)[]> = {
  webhook: ['url', 'secret'],
  ntfy: ['url', 'token'],
  discord: ['url'],
  slack: ['url'],
  gotify: ['url', 'token'],
  email: ['host', 'port', 'security', 'username', 'password', 'from', 'to', 'allow_self_signed'],
};

/** What is wrong with these fields for this kind, or null. */
export function fieldProblem(kind: DestinationKind, f: DestinationFields): string | null {
  for (const k of Object.keys(f) as (keyof DestinationFields)[]) {
    if (f[k] !== undefined && !ALLOWED[kind].includes(k)) return `${kind} destinations take no "${k}"`;
  }
  for (const k of REQUIRED[kind]) if (f[k] === undefined || f[k] === '') return `${kind} destinations need "${k}"`;
  if (f.url !== undefined) {
    let u: URL;
    try {
      u = new URL(f.url);
    } catch {
      return 'url is not a URL';
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'url must be http or https';
  }
  if (kind === 'email' && f.password !== undefined && f.username === undefined) return 'a password needs a username';
  return null;
}

export function splitFields(f: DestinationFields): {
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
} {
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined) continue;
    if ((SECRET_FIELDS as readonly string[]).includes(k)) secrets[k] = String(v);
    else settings[k] = v;
  }
  return { settings, secrets };
}

/** A URL shown back: scheme and host only, the rest masked. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/****`;
  } catch {
    return '****';
  }
}

/** The stored fields as shown back: settings as they are, each secret masked. */
export function maskedFields(
  settings: Record<string, unknown>,
  secrets: Record<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...settings };
  for (const k of SECRET_FIELDS as readonly SecretField[]) {
    const v = secrets[k];
    if (v === undefined) continue;
    out[k] = k === 'url' ? maskUrl(v) : '****';
  }
  return out;
}

export async function sendTo(
  kind: DestinationKind,
  settings: Record<string, unknown>,
  secrets: Record<string, string>,
  m: Message,
): Promise<SendResult> {
  const url = secrets.url ?? '';
  switch (kind) {
    case 'webhook':
      return sendWebhook({ url, secret: secrets.secret }, m);
    case 'ntfy':
      return sendNtfy({ url, token: secrets.token }, m);
    case 'discord':
      return sendDiscord({ url }, m);
    case 'slack':
      return sendSlack({ url }, m);
    case 'gotify':
      return sendGotify({ url, token: secrets.token ?? '' }, m);
    case 'email':
      return sendEmail(
        {
          host: String(settings.host ?? ''),
          port: Number(settings.port ?? 25),
          security: (settings.security as SmtpSecurity | undefined) ?? 'starttls',
          username: settings.username as string | undefined,
          password: secrets.password,
          from: String(settings.from ?? ''),
          to: (settings.to as string[] | undefined) ?? [],
          allow_self_signed: settings.allow_self_signed === true,
        },
        m,
      );
  }
}
