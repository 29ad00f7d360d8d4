// Header layouts learned from a stream's own first lines, for headers that the generic reading (see
// plain-header.ts) does not take whole: a pipe-delimited header glued to the first word
// ("20171223-22:15:29:606|Step_LSC|30002312|message"), a header after a leading file name
// ("nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO ..."), a second header
// after the first (`docker logs -t` before a syslog line, a log shipper's stamp before the app's own),
// and a level column the generic reading does not know as one ("I", "D" in Android's logcat, "Info"
// in mixed case) with the component after it. A layout is kept only when it fits nearly every sample
// line; a line that does not fit it is read the generic way. What a layout strips never reaches the
// miner, so it neither splits nor merges groups; its level feeds the finding.
import { levelFromWord, type Level } from './log-level.ts';
import { parseLine, type ParsedLine } from './parse-line.ts';
import { parsePlainHeader } from './plain-header.ts';
import { stripAnsi } from './strip-ansi.ts';

/** Lines a layout is learned from. */
export const SAMPLE_LINES = 64;
/** Share of the sample a layout must fit. */
const FIT = 0.9;

export interface HeaderLayout {
  /** '|'-separated fields before the message (0: none). */
  pipes: number;
  /** Words skipped before the first generic header. */
  skip: number;
  /** A second generic header after the first, after skipping this many words (-1: none). */
  second: number;
  /** A level column right after the header(s); with it, a component ending in ':' (0: none, 1: level, 2: level and component). */
  levelColumn: 0 | 1 | 2;
}

const GENERIC: HeaderLayout = { pipes: 0, skip: 0, second: -1, levelColumn: 0 };

// logcat's one-letter levels
const LETTER: Record<string, Level> = {
  V: 'trace',
  D: 'debug',
  I: 'info',
  W: 'warn',
  E: 'error',
  F: 'critical',
  A: 'critical',
};

/** The text after the n-th blank-separated word (undefined when there are fewer words). */
function afterWords(t: string, n: number): string | undefined {
  let i = 0;
  for (let w = 0; w < n; w++) {
    while (i < t.length && (t.charCodeAt(i) === 32 || t.charCodeAt(i) === 9)) i++;
    if (i >= t.length) return undefined;
    while (i < t.length && t.charCodeAt(i) !== 32 && t.charCodeAt(i) !== 9) i++;
  }
  while (i < t.length && (t.charCodeAt(i) === 32 || t.charCodeAt(i) === 9)) i++;
  return i < t.length ? t.slice(i) : undefined;
}

/** The text after the k-th '|' when all k come before the first blank; undefined otherwise. */
function afterPipes(t: string, k: number): { rest: string; first: string } | undefined {
  const sp = t.search(/[ \t]/);
  const limit = sp < 0 ? t.length : sp;
  let at = -1;
  for (let n = 0; n < k; n++) {
    at = t.indexOf('|', at + 1);
    if (at < 0 || at >= limit) return undefined;
  }
  return { rest: t.slice(at + 1), first: t.slice(0, t.indexOf('|')) };
}

/** A time-like field: mostly digits with date/time separators. */
function stampLike(s: string): boolean {
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (!':-./,_ TZ'.includes(s[i]!)) return false;
  }
  return digits >= 6 && digits * 2 >= s.length;
}

interface Applied {
  message: string;
  level?: Level;
  time?: string;
}

/** One header stage: the generic header of `t` after skipping `skip` words; undefined when none is found. */
function stage(t: string, skip: number): Applied | undefined {
  const s = skip ? afterWords(t, skip) : t;
  if (s === undefined) return undefined;
  const h = parsePlainHeader(s);
  if (h.messageStart <= 0) return undefined;
  const a: Applied = { message: s.slice(h.messageStart) };
  if (h.level) a.level = h.level;
  if (h.time) a.time = h.time;
  return a;
}

function levelWord(w: string): Level | undefined {
  return w.length === 1 ? LETTER[w] : levelFromWord(w);
}

/** Applies a layout to a plain line; undefined when the line does not fit it. */
function apply(t: string, l: HeaderLayout, columnsToo = true): Applied | undefined {
  let a: Applied | undefined;
  if (l.pipes) {
    const p = afterPipes(t, l.pipes);
    if (!p || !stampLike(p.first)) return undefined;
    a = { message: p.rest, time: p.first };
  } else {
    a = stage(t, l.skip);
    if (!a) return undefined;
    if (l.second >= 0) {
      const b = stage(a.message, l.second);
      if (!b) return undefined;
      a = {
        message: b.message,
        ...((b.level ?? a.level) ? { level: (b.level ?? a.level)! } : {}),
        ...(a.time ? { time: a.time } : {}),
      };
    }
  }
  if (columnsToo && l.levelColumn) {
    const sp = a.message.indexOf(' ');
    const lv = sp > 0 ? levelWord(a.message.slice(0, sp)) : undefined;
    if (!lv) return undefined;
    let rest = a.message.slice(sp + 1).trimStart();
    if (l.levelColumn === 2) {
      const sp2 = rest.indexOf(' ');
      if (sp2 < 2 || rest.charCodeAt(sp2 - 1) !== 58) return undefined;
      rest = rest.slice(sp2 + 1).trimStart();
    }
    a = { message: rest, level: lv, ...(a.time ? { time: a.time } : {}) };
  }
  return a;
}

function share(sample: string[], fits: (t: string) => boolean): number {
  let n = 0;
  for (const t of sample) if (fits(t)) n++;
  return sample.length ? n / sample.length : 0;
}

/** The layout that fits the sample's plain lines (the generic one when nothing else fits). */
export function learnLayout(lines: string[]): HeaderLayout {
  const sample = lines.map((l) => stripAnsi(l)).filter((t) => t.length > 0 && parseLine(t).form === 'plain');
  if (sample.length < 8 || sample.length < lines.length / 2) return GENERIC;
  let base: HeaderLayout | undefined;
  // a pipe-delimited header glued to the first word: as many '|' as nearly every line has
  for (let k = 6; k >= 2 && !base; k--) {
    if (share(sample, (t) => !!afterPipes(t, k) && stampLike(afterPipes(t, k)!.first)) >= FIT)
      base = { ...GENERIC, pipes: k };
  }
  // else the generic header, maybe after a leading word or two, maybe followed by a second header
  for (let skip = 0; skip <= 2 && !base; skip++) {
    if (share(sample, (t) => !!stage(t, skip)) < FIT) continue;
    base = { ...GENERIC, skip };
    for (let second = 0; second <= 1; second++) {
      const l = { ...base, second };
      if (share(sample, (t) => !!apply(t, l)) >= FIT) {
        base = l;
        break;
      }
    }
  }
  if (!base) return GENERIC;
  // a level column right after the header(s) that the generic reading left in the message
  const withLevel: HeaderLayout = { ...base, levelColumn: 1 };
  if (share(sample, (t) => !apply(t, base!)?.level && !!apply(t, withLevel)) >= FIT) {
    const withComponent: HeaderLayout = { ...base, levelColumn: 2 };
    return share(sample, (t) => !!apply(t, withComponent)) >= FIT ? withComponent : withLevel;
  }
  return base;
}

export function isGeneric(l: HeaderLayout): boolean {
  return l.pipes === 0 && l.skip === 0 && l.second < 0 && l.levelColumn === 0;
}

/** Reads a line with a learned layout: the generic reading, with the layout's header taken off plain lines that fit it. */
export function parseWithLayout(raw: string, l: HeaderLayout): ParsedLine {
  const p = parseLine(raw);
  if (p.form !== 'plain' || isGeneric(l)) return p;
  const a = apply(p.text, l);
  if (!a) return p;
  const out: ParsedLine = { message: a.message, text: p.text, form: 'plain' };
  const level = a.level ?? p.level;
  if (level !== undefined) out.level = level;
  const time = a.time ?? p.time;
  if (time !== undefined) out.time = time;
  return out;
}

/** Lines held until a layout is learned, then read with it; for streams (the pipeline, `mine`). */
export class LayoutReader<T> {
  private pending: { line: string; item: T }[] = [];
  private layout: HeaderLayout | undefined;

  constructor(private readonly deliver: (item: T, parse: (text: string) => ParsedLine) => void) {}

  readonly parse = (text: string): ParsedLine => parseWithLayout(text, this.layout ?? GENERIC);

  push(line: string, item: T): void {
    if (this.layout) {
      this.deliver(item, this.parse);
      return;
    }
    this.pending.push({ line, item });
    if (this.pending.length >= SAMPLE_LINES) this.decide();
  }

  /** Learns from what is held (fewer lines than the sample at the end of a stream) and delivers it. */
  flush(): void {
    if (!this.layout) this.decide();
  }

  private decide(): void {
    this.layout = learnLayout(this.pending.map((p) => p.line));
    const held = this.pending;
    this.pending = [];
    for (const p of held) this.deliver(p.item, this.parse);
  }
}
