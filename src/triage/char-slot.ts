// A string that is overwritten on every event (a template's latest exemplar, its last-seen time),
// kept as characters in a reusable buffer instead of a new string each time. A new string per event
// would outlive its line until the template's next event, so millions of them would age into the
// old generation and hold memory until a full collection; a buffer is written in place and read
// once, at the end.
export class CharSlot {
  private buf: Uint16Array;
  length = 0;

  constructor(private readonly max: number) {
    this.buf = new Uint16Array(Math.min(max, 64));
  }

  /** Makes the slot hold `text` (cut at max characters), then `more` after a '\n' when given. */
  set(text: string, more = ''): void {
    const max = this.max;
    const want = Math.min(max, more ? text.length + 1 + more.length : text.length);
    if (want > this.buf.length) this.buf = new Uint16Array(Math.min(max, Math.max(want, this.buf.length * 2)));
    const buf = this.buf;
    let n = 0;
    for (let i = 0; i < text.length && n < want; i++) buf[n++] = text.charCodeAt(i);
    if (more && n < want) {
      buf[n++] = 10;
      for (let i = 0; i < more.length && n < want; i++) buf[n++] = more.charCodeAt(i);
    }
    this.length = n;
  }

  /** Compares `text` with what the slot holds, as strings compare (negative: text sorts first). */
  compare(text: string): number {
    const buf = this.buf;
    const n = Math.min(text.length, this.length);
    for (let i = 0; i < n; i++) {
      const d = text.charCodeAt(i) - buf[i]!;
      if (d !== 0) return d;
    }
    return text.length - this.length;
  }

  toString(): string {
    let out = '';
    for (let i = 0; i < this.length; i += 4096)
      out += String.fromCharCode(...this.buf.subarray(i, Math.min(this.length, i + 4096)));
    return out;
  }
}
