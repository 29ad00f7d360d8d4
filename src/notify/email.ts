// E-mail over SMTP with nodemailer: TLS from the first byte (port 465), STARTTLS required, or plain
// (loopback relays only). The subject is the title, the body the text and the link.
import nodemailer from 'nodemailer';
import { SEND_TIMEOUT_MS, type Message, type SendResult } from './message.ts';

export type SmtpSecurity = 'tls' | 'starttls' | 'none';

export interface EmailDestination {
  host: string;
  port: number;
  security: SmtpSecurity;
  username?: string;
  password?: string;
  from: string;
  to: string[];
  /** Accept self-signed certificates (a home-lab relay). */
  allow_self_signed?: boolean;
}

export async function sendEmail(dest: EmailDestination, m: Message): Promise<SendResult> {
  const transport = nodemailer.createTransport({
    host: dest.host,
    port: dest.port,
    secure: dest.security === 'tls',
    requireTLS: dest.security === 'starttls',
    ignoreTLS: dest.security === 'none',
    auth: dest.username ? { user: dest.username, pass: dest.password ?? '' } : undefined,
    tls: dest.allow_self_signed ? { rejectUnauthorized: false } : undefined,
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
    logger: false,
  });
  try {
    await transport.sendMail({
      from: dest.from,
      to: dest.to,
      subject: m.title,
      text: m.url ? `${m.text}\n\n${m.url}\n` : `${m.text}\n`,
      headers: { 'X-CyberBrain-Id': m.id },
    });
    return { ok: true, status: 250, error: null };
  } catch (err) {
    const e = err as { responseCode?: number; code?: string };
    return {
      ok: false,
      status: typeof e.responseCode === 'number' ? e.responseCode : null,
      error: `smtp_${(e.code ?? 'error')
        .toLowerCase()
        .replace(/[^a-z0-9_]/g, '_')
        .slice(0, 30)}`,
    };
  } finally {
    transport.close();
  }
}
