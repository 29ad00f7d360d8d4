// Splits Docker's multiplexed log stream (non-TTY containers) into frames. Each frame is an 8-byte
// header (stream type, 3 zero bytes, big-endian payload length) and its payload. Frames arrive split
// across chunks however the transport likes, so the header is reassembled and payloads are passed on
// in pieces: a frame is never buffered whole.
import type { StreamName } from './types.ts';

export interface FrameSink {
  /** A new frame begins: with timestamps on, one Docker log message (its payload starts with the timestamp). */
  frameStart(stream: StreamName): void;
  /** The next bytes of the current frame's payload. */
  frameData(stream: StreamName, bytes: Uint8Array): void;
}

export class FrameDemuxer {
  private readonly header = new Uint8Array(8);
  private headerFill = 0;
  private remaining = 0;
  private stream: StreamName = 'stdout';

  push(chunk: Uint8Array, sink: FrameSink): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, n - i);
        sink.frameData(this.stream, chunk.subarray(i, i + take));
        this.remaining -= take;
        i += take;
        continue;
      }
      let h: Uint8Array;
      let at: number;
      if (this.headerFill === 0 && n - i >= 8) {
        h = chunk;
        at = i;
        i += 8;
      } else {
        const take = Math.min(8 - this.headerFill, n - i);
        this.header.set(chunk.subarray(i, i + take), this.headerFill);
        this.headerFill += take;
        i += take;
        if (this.headerFill < 8) return;
        this.headerFill = 0;
        h = this.header;
        at = 0;
      }
      // type 1 = stdout, 2 = stderr; 0 (stdin) and 3 (daemon error) are not container output we expect
      this.stream = h[at] === 2 || h[at] === 3 ? 'stderr' : 'stdout';
      this.remaining = ((h[at + 4]! << 24) >>> 0) + (h[at + 5]! << 16) + (h[at + 6]! << 8) + h[at + 7]!;
      sink.frameStart(this.stream);
    }
  }

  /** True when the stream stopped inside a frame (a cut connection, not a normal end). */
  get incomplete(): boolean {
    return this.remaining > 0 || this.headerFill > 0;
  }
}
