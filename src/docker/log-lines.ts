// Turns the bytes of GET /containers/{id}/logs?timestamps=1 into lines {ts, stream, text}.
//
// Docker stores output as messages: one per line, or 16 KiB pieces of a longer line ("partial"
// messages, all carrying the line's first timestamp, only the last one ending in "\n"). With
// timestamps on, every message starts with "<RFC 3339 nano> ". A non-TTY container's stream is
// multiplexed: each message is one frame, so frame starts mark the timestamps. A TTY container's stream
// is raw: a timestamp follows every "\n" and every full 16 KiB partial message.
//
// Memory stays bounded: a line is held only up to maxLineBytes (the rest is counted and dropped, and
// the text ends with a marker); nothing else is buffered beyond the chunk at hand.
import { FrameDemuxer, type FrameSink } from './frame-demux.ts';
import type { LogLine, StreamName } from './types.ts';

export const DEFAULT_MAX_LINE_BYTES = 256 * 1024;
/** Docker's log copier buffer: a line without "\n" is cut into messages of exactly this size. */
const PARTIAL_MESSAGE_BYTES = 16 * 1024;
/** A timestamp prefix is ~31 bytes; anything longer before a space is content, not a timestamp. */
const MAX_TIMESTAMP_BYTES = 40;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
const SPACE = 0x20;
const LF = 0x0a;
const CR = 0x0d;

export const truncationMarker = (droppedBytes: number) => ` …[line truncated: ${droppedBytes} more bytes]`;

const utf8 = new TextDecoder('utf-8');

/** Whether a "<timestamp> " prefix comes next on a stream. */
const TsMode = {
  None: 0,
  /** A message starts here: its timestamp comes first. */
  Expected: 1,
  /** Raw stream after a full partial message: a timestamp follows if Docker cut the line here. */
  Maybe: 2,
} as const;
type TsMode = (typeof TsMode)[keyof typeof TsMode];

interface StreamState {
  tsMode: TsMode;
  tsBytes: number[];
  messageTs: string;
  /** Content bytes since the message began (raw streams: to spot 16 KiB partial messages). */
  messageBytes: number;
  open: boolean;
  lineTs: string;
  pieces: Uint8Array[];
  size: number;
  dropped: number;
}

const newState = (tsMode: TsMode): StreamState => ({
  tsMode,
  tsBytes: [],
  messageTs: '',
  messageBytes: 0,
  open: false,
  lineTs: '',
  pieces: [],
  size: 0,
  dropped: 0,
});

/** Index just past the last complete UTF-8 character in bytes[0, end). */
function utf8Boundary(bytes: Uint8Array, end: number): number {
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = bytes[end - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? end - back : end;
  }
  return end;
}

export interface LogLineParserOptions {
  /** True for non-TTY containers (8-byte frame headers); false for TTY containers (raw bytes). */
  multiplexed: boolean;
  maxLineBytes?: number;
  onLine: (line: LogLine) => void;
}

export class LogLineParser implements FrameSink {
  private readonly demux: FrameDemuxer | null;
  private readonly raw: boolean;
  private readonly max: number;
  private readonly onLine: (line: LogLine) => void;
  private readonly states: Record<StreamName, StreamState>;

  constructor(opts: LogLineParserOptions) {
    this.raw = !opts.multiplexed;
    this.demux = opts.multiplexed ? new FrameDemuxer() : null;
    this.max = Math.max(1, opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    this.onLine = opts.onLine;
    this.states = { stdout: newState(this.raw ? TsMode.Expected : TsMode.None), stderr: newState(TsMode.None) };
  }

  push(chunk: Uint8Array): void {
    if (this.demux) this.demux.push(chunk, this);
    else this.frameData('stdout', chunk);
  }

  /** The stream ended: a last line without "\n" is still a line. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const st = this.states[stream];
      if (st.tsMode !== TsMode.None && st.tsBytes.length) this.abandonTimestamp(st, stream);
      if (st.open) this.emit(st, stream);
    }
  }

  /** Bytes held for unfinished lines: bounded by the cap whatever the input. */
  get bufferedBytes(): number {
    return this.states.stdout.size + this.states.stderr.size;
  }

  frameStart(stream: StreamName): void {
    const st = this.states[stream];
    st.tsMode = TsMode.Expected;
    st.tsBytes.length = 0;
    st.messageBytes = 0;
  }

  frameData(stream: StreamName, bytes: Uint8Array): void {
    const st = this.states[stream];
    const n = bytes.length;
    let i = 0;
    while (i < n) {
      if (st.tsMode !== TsMode.None) {
        i = this.readTimestamp(st, stream, bytes, i);
        continue;
      }
      const nl = bytes.indexOf(LF, i);
      if (this.raw) {
        const room = PARTIAL_MESSAGE_BYTES - st.messageBytes;
        if ((nl < 0 ? n : nl) - i >= room) {
          // a full 16 KiB message without "\n": Docker cut the line here, a timestamp may follow
          this.append(st, bytes.subarray(i, i + room));
          i += room;
          st.messageBytes = 0;
          st.tsMode = TsMode.Maybe;
          continue;
        }
      }
      if (nl < 0) {
        this.append(st, bytes.subarray(i));
        st.messageBytes += n - i;
        return;
      }
      this.finish(st, stream, bytes, i, nl);
      i = nl + 1;
      st.messageBytes = 0;
      if (this.raw) st.tsMode = TsMode.Expected;
    }
  }

  /** Collects the "<timestamp> " prefix; returns where content resumes. */
  private readTimestamp(st: StreamState, stream: StreamName, bytes: Uint8Array, i: number): number {
    const n = bytes.length;
    let j = i;
    while (j < n && bytes[j] !== SPACE && bytes[j] !== LF && st.tsBytes.length + (j - i) < MAX_TIMESTAMP_BYTES) j++;
    if (st.tsBytes.length === 0 && j < n && bytes[j] === SPACE) {
      // common case: the whole prefix is in this piece
      const text = utf8.decode(bytes.subarray(i, j));
      if (st.tsMode === TsMode.Expected || TIMESTAMP.test(text)) {
        this.startMessage(st, text);
        return j + 1;
      }
    }
    for (let k = i; k < j; k++) st.tsBytes.push(bytes[k]!);
    if (j === n) return n; // the prefix continues in the next piece
    if (bytes[j] === SPACE) {
      const text = String.fromCharCode(...st.tsBytes);
      if (st.tsMode === TsMode.Expected || TIMESTAMP.test(text)) {
        this.startMessage(st, text);
        return j + 1;
      }
    }
    // not a timestamp after all: what was collected is content
    this.abandonTimestamp(st, stream);
    return j;
  }

  private startMessage(st: StreamState, ts: string): void {
    st.messageTs = ts;
    st.messageBytes = 0;
    st.tsMode = TsMode.None;
    st.tsBytes.length = 0;
  }

  private abandonTimestamp(st: StreamState, stream: StreamName): void {
    const collected = Uint8Array.from(st.tsBytes);
    st.messageBytes = 0;
    st.tsMode = TsMode.None;
    st.tsBytes.length = 0;
    this.frameData(stream, collected);
  }

  private append(st: StreamState, piece: Uint8Array): void {
    if (!st.open) {
      st.open = true;
      st.lineTs = st.messageTs;
    }
    const room = this.max - st.size;
    if (piece.length <= room) {
      // copied: a slice of the transport's chunk would keep the whole chunk alive
      st.pieces.push(piece.slice());
      st.size += piece.length;
    } else {
      if (room > 0) st.pieces.push(piece.slice(0, room));
      st.size = this.max;
      st.dropped += piece.length - room;
    }
  }

  /** The line ends at bytes[end] ("\n"). */
  private finish(st: StreamState, stream: StreamName, bytes: Uint8Array, start: number, end: number): void {
    if (!st.open && end - start <= this.max) {
      // fast path: the whole line is in this piece
      while (end > start && bytes[end - 1] === CR) end--;
      this.onLine({ ts: st.messageTs, stream, text: utf8.decode(bytes.subarray(start, end)), truncated: false });
      return;
    }
    this.append(st, bytes.subarray(start, end));
    this.emit(st, stream);
  }

  private emit(st: StreamState, stream: StreamName): void {
    let joined: Uint8Array;
    if (st.pieces.length === 1) joined = st.pieces[0]!;
    else {
      joined = new Uint8Array(st.size);
      let at = 0;
      for (const p of st.pieces) {
        joined.set(p, at);
        at += p.length;
      }
    }
    let text: string;
    if (st.dropped > 0) {
      const cut = utf8Boundary(joined, joined.length);
      text = utf8.decode(joined.subarray(0, cut)) + truncationMarker(st.dropped + joined.length - cut);
    } else {
      let end = joined.length;
      while (end > 0 && joined[end - 1] === CR) end--;
      text = utf8.decode(joined.subarray(0, end));
    }
    this.onLine({ ts: st.lineTs, stream, text, truncated: st.dropped > 0 });
    st.open = false;
    st.pieces = [];
    st.size = 0;
    st.dropped = 0;
  }
}
