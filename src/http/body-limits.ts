// Request body caps, by route class, counted on the bytes actually read whatever the framing
// (Content-Length, chunked, none). Every body the app takes today is small: JSON for the API and MCP,
// form posts from the pages. A future upload route gets its own, larger cap here and streams to disk.
import { AppError } from '../errors.ts';

/** JSON API, MCP messages and page forms. */
export const MAX_BODY_BYTES = 1024 * 1024;

interface BodyClass {
  /** The path prefix it applies to ('' = everything else). */
  prefix: string;
  maxBytes: number;
}

/** Most specific first; the last entry is the default. */
export const BODY_CLASSES: readonly BodyClass[] = [{ prefix: '', maxBytes: MAX_BODY_BYTES }];

export function bodyCapFor(path: string): number {
  return (BODY_CLASSES.find((c) => path.startsWith(c.prefix)) ?? BODY_CLASSES[BODY_CLASSES.length - 1]!).maxBytes;
}

export const tooLarge = (cap: number) =>
  new AppError(413, 'payload_too_large', `request body is larger than ${cap} bytes`);

/** Reads a body into memory, counting as it goes; stops reading and throws a 413 AppError past `cap`. */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  cap: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      reader.cancel().catch(() => {});
      throw tooLarge(cap);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
