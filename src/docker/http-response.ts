// Reads an HTTP/1.1 response from raw socket bytes: status line and headers, then the body, plain or
// chunked, passed on in pieces as it arrives. Used for the log stream, where node:http under Bun keeps
// too much garbage alive (see log-transport.ts). Pure: bytes in, pieces out.

const MAX_HEAD_BYTES = 64 * 1024;
const CRLF_CRLF = [13, 10, 13, 10];

export class HttpProtocolError extends Error {
  override name = 'HttpProtocolError';
}

export interface ResponseHead {
  status: number;
  headers: Map<string, string>;
}

const ascii = new TextDecoder('latin1');

function indexOfSeq(buf: Uint8Array, seq: number[], from: number): number {
  outer: for (
    let i = buf.indexOf(seq[0]!, from);
    i >= 0 && i <= buf.length - seq.length;
    i = buf.indexOf(seq[0]!, i + 1)
  ) {
    for (let k = 1; k < seq.length; k++) if (buf[i + k] !== seq[k]) continue outer;
    return i;
  }
  return -1;
}

type Phase = 'head' | 'plain' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailer' | 'done';

export class HttpResponseReader {
  head: ResponseHead | null = null;
  private phase: Phase = 'head';
  private headBuf = new Uint8Array(0);
  private line: number[] = [];
  private remaining = 0;

  /** Feeds bytes; body pieces go to onBody. Returns true once the body is complete. */
  push(chunk: Uint8Array, onBody: (piece: Uint8Array) => void): boolean {
    let i = 0;
    if (this.phase === 'head') {
      const joined = new Uint8Array(this.headBuf.length + chunk.length);
      joined.set(this.headBuf);
      joined.set(chunk, this.headBuf.length);
      const end = indexOfSeq(joined, CRLF_CRLF, Math.max(0, this.headBuf.length - 3));
      if (end < 0) {
        if (joined.length > MAX_HEAD_BYTES) throw new HttpProtocolError('response head too large');
        this.headBuf = joined;
        return false;
      }
      this.head = parseHead(ascii.decode(joined.subarray(0, end)));
      const chunked = (this.head.headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked');
      const length = this.head.headers.get('content-length');
      if (chunked) this.phase = 'chunk-size';
      else if (length !== undefined) {
        this.remaining = Number(length);
        this.phase = this.remaining > 0 ? 'plain' : 'done';
      } else {
        this.remaining = Infinity; // until the connection closes
        this.phase = 'plain';
      }
      chunk = joined;
      i = end + 4;
      this.headBuf = new Uint8Array(0);
    }
    const n = chunk.length;
    while (i < n && this.phase !== 'done') {
      switch (this.phase) {
        case 'plain':
        case 'chunk-data': {
          const take = Math.min(this.remaining, n - i);
          onBody(chunk.subarray(i, i + take));
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.phase = this.phase === 'plain' ? 'done' : 'chunk-crlf';
          break;
        }
        case 'chunk-size':
        case 'chunk-crlf':
        case 'trailer': {
          const b = chunk[i++]!;
          if (b !== 10) {
            if (this.line.length > 1024) throw new HttpProtocolError('chunk header too long');
            if (b !== 13) this.line.push(b);
            break;
          }
          const text = String.fromCharCode(...this.line);
          this.line.length = 0;
          if (this.phase === 'chunk-crlf') {
            if (text !== '') throw new HttpProtocolError('malformed chunk end');
            this.phase = 'chunk-size';
          } else if (this.phase === 'chunk-size') {
            const size = parseInt(text.split(';', 1)[0]!.trim(), 16);
            if (!Number.isFinite(size) || size < 0) throw new HttpProtocolError('malformed chunk size');
            this.remaining = size;
            this.phase = size === 0 ? 'trailer' : 'chunk-data';
          } else if (text === '') this.phase = 'done';
          break;
        }
      }
    }
    return this.phase === 'done';
  }

  /** The connection closed: fine for a body read to the end, an error in the middle of one. */
  closed(): void {
    if (this.phase === 'done') return;
    if (this.phase === 'plain' && this.remaining === Infinity) {
      this.phase = 'done';
      return;
    }
    throw new HttpProtocolError('connection closed before the response ended');
  }
}

function parseHead(text: string): ResponseHead {
  const [statusLine, ...lines] = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!m) throw new HttpProtocolError('not an HTTP/1.1 response');
  const headers = new Map<string, string>();
  for (const l of lines) {
    const colon = l.indexOf(':');
    if (colon > 0) headers.set(l.slice(0, colon).trim().toLowerCase(), l.slice(colon + 1).trim());
  }
  return { status: Number(m[1]), headers };
}
