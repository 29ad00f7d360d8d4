// The triage pipeline: lines in (one at a time, as they stream from a container), templates,
// statistics and ranked findings out. Pure: no I/O, no clock; times come with the lines.
import { lineRedactor, type KnownValues, type RedactionCounts } from '../redact/index.ts';
import { renderDigest, type Digest } from './digest.ts';
import { attachMinuteSeries, rankFindings, type Finding, type TemplateSummary } from './findings.ts';
import { fingerprint } from './fingerprint.ts';
import { maskTokens } from './mask.ts';
import { createMiner, type Cluster, type MinerOptions, type MinerStats } from './miner.ts';
import { createJoiner, type JoinerOptions, type LogEvent, type LogLine } from './multiline.ts';
import type { LineForm, ParsedLine } from './parse-line.ts';
import { LayoutReader } from './header-layout.ts';
import { isBinaryLine, mineable, PARSE_CAP } from './line-guards.ts';
import { stripAnsi } from './strip-ansi.ts';
import { LEVEL_RANK, type Level } from './log-level.ts';
import { assessSeverity, guessLevel, type Signature } from './severity.ts';
import {
  exemplarTexts,
  lastSeenOf,
  mergeStats,
  newStats,
  recordEvent,
  type StatsLimits,
  type TemplateStats,
} from './template-stats.ts';

const NO_SIGNATURES: readonly Signature[] = [];
/** Lines between full collections. */
const COLLECT_EVERY = 500_000;

export interface TriageOptions {
  miner?: MinerOptions;
  multiline?: JoinerOptions | false;
  /** Per-template cap on per-minute counters (a day by default). */
  maxMinutes?: number;
  /** Most findings ranked. */
  maxFindings?: number;
  /** Longest exemplar text kept, in characters. */
  maxExemplarChars?: number;
  /** Values to mask wherever they appear (env values of the containers, the appliance's secrets). */
  knownValues?: KnownValues;
}

export interface TriageResult {
  lines: number;
  events: number;
  forms: Record<LineForm, number>;
  /** Every template, most frequent first. */
  templates: TemplateSummary[];
  findings: Finding[];
  miner: MinerStats;
  /** Events that belonged to clusters evicted under the memory cap (not in the templates). */
  evictedEvents: number;
  /** Lines that were binary output (NUL bytes, mostly undecodable): counted, not mined. */
  binaryLines: number;
  /** Lines longer than the mining cap: mined from their first MINING_CAP characters. */
  cappedLines: number;
  /** What redaction masked in the lines (each line is redacted once, where it enters). */
  redactions: RedactionCounts;
}

export interface Triage {
  push(line: LogLine): void;
  finish(): TriageResult;
}

export function createTriage(options: TriageOptions = {}): Triage {
  const maxMinutes = options.maxMinutes ?? 1440;
  const maxExemplarChars = options.maxExemplarChars ?? 1000;
  // stats per cluster, then per variant of it (see miner.variant)
  const byCluster = new Map<number, Map<string, TemplateStats>>();
  let evictedEvents = 0;
  const miner = createMiner(options.miner, (c) => {
    const gone = byCluster.get(c.id);
    if (gone) for (const s of gone.values()) evictedEvents += s.count;
    byCluster.delete(c.id);
  });
  const joiner = options.multiline === false ? undefined : createJoiner(options.multiline || {});
  const forms: Record<LineForm, number> = { json: 0, logfmt: 0, plain: 0 };
  let lines = 0;
  let events = 0;
  let binaryLines = 0;
  let cappedLines = 0;

  const limits: StatsLimits = { maxMinutes, maxExemplarChars };
  // the one redaction step: nothing after it (templates, exemplars, digests) sees a line's raw text
  const redactor = lineRedactor(options.knownValues);

  function record(stats: TemplateStats, ev: LogEvent, level: Level, signatures: readonly Signature[]): void {
    recordEvent(stats, ev, events, level, signatures);
  }

  // lines wait until a header layout is learned from the stream's first ones (see header-layout.ts)
  const reader = new LayoutReader<LogLine>((line) => deliver(line));
  const parseLine: (text: string) => ParsedLine = reader.parse;

  function deliver(line: LogLine): void {
    if (!joiner) {
      const ev: LogEvent = { text: line.text, rest: '', lines: 1 };
      if (line.capped) ev.capped = true;
      if (line.ts !== undefined) ev.ts = line.ts;
      handle(ev);
      return;
    }
    const done = joiner.push(line);
    if (done) handle(done);
  }

  function handle(ev: LogEvent): void {
    events++;
    const parsed = parseLine(ev.text);
    forms[parsed.form]++;
    // a trace's exception line tells traces apart better than the message that announced it; a
    // header-only line (.NET "fail: Category[id]") has its event's text on the next line
    let message = ev.exception ? `${parsed.message} ${ev.exception}` : parsed.message;
    if (parsed.headerOnly && ev.rest) message += ' ' + firstLine(ev.rest).trim();
    const m = mineable(message);
    if (m !== message) {
      if (message.length > m.length && !ev.capped) cappedLines++;
      message = m;
    }
    const tokens = maskTokens(message);
    const cluster = miner.addTokens(tokens);
    const variant = miner.variant(cluster, tokens);
    let variants = byCluster.get(cluster.id);
    if (!variants) byCluster.set(cluster.id, (variants = new Map()));
    let stats = variants.get(variant);
    if (!stats) {
      // first event of a template: read its text for a level word and signatures, once
      const guessed = parsed.level ? undefined : guessLevel(parsed.message);
      const sev = assessSeverity(ev.rest ? `${parsed.message}\n${ev.rest}` : parsed.message, parsed.level ?? guessed);
      variants.set(variant, (stats = newStats(tokens, sev.level, events, limits)));
      if (guessed) stats.guessed = guessed;
      stats.floor = assessSeverity(parsed.message, 'trace').level;
      record(stats, ev, sev.level, sev.signatures);
      return;
    }
    // Later events share the template's words, hence its signatures; only traces and lines logged
    // at warn or above are read again (their details may name a different trouble).
    const level = parsed.level ?? stats.guessed;
    if (ev.rest || (level !== undefined && LEVEL_RANK[level] >= LEVEL_RANK.warn)) {
      const sev = assessSeverity(ev.rest ? `${parsed.message}\n${ev.rest}` : parsed.message, level);
      record(stats, ev, sev.level, sev.signatures);
    } else {
      // the logger's level (default info), raised to what the template's signatures demand
      const base = level ?? 'info';
      record(stats, ev, LEVEL_RANK[stats.floor] > LEVEL_RANK[base] ? stats.floor : base, NO_SIGNATURES);
    }
  }

  function templateText(c: Cluster, tokens: string[]): string {
    // the cluster's template with its still-distinct variant words put back
    if (!c.words) return c.tokens.join(' ');
    return c.tokens.map((t, i) => (c.words![i] ? tokens[i]! : t)).join(' ');
  }

  return {
    push(raw) {
      lines++;
      // a full collection now and then: the garbage of hundreds of thousands of parsed lines would
      // otherwise pile up faster than the collector returns it (bounded memory, see the bench)
      if (lines % COLLECT_EVERY === 0) Bun.gc(true);
      if (isBinaryLine(raw.text)) {
        binaryLines++;
        return;
      }
      let line = raw;
      // parsing reads a line whole: past PARSE_CAP it is read cut (the mining cap is lower still)
      if (line.text.length > PARSE_CAP) {
        cappedLines++;
        line =
          line.ts !== undefined
            ? { ts: line.ts, text: line.text.slice(0, PARSE_CAP), capped: true }
            : { text: line.text.slice(0, PARSE_CAP), capped: true };
      }
      // the one redaction step, after the cuts (a huge line is not scanned whole)
      const text = redactor.line(line.text);
      if (text !== line.text) line = { ...line, text };
      reader.push(line.text, line);
    },
    finish() {
      reader.flush();
      const last = joiner?.flush();
      if (last) handle(last);
      const redactions: RedactionCounts = { ...redactor.counts };
      const templates: TemplateSummary[] = [];
      for (const c of miner.clusters()) {
        const variants = byCluster.get(c.id);
        if (!variants) continue;
        // variants that have since become one template (their words turned out to be a variable) merge
        const merged = new Map<string, TemplateStats>();
        for (const s of variants.values()) {
          const key = miner.variant(c, s.tokens);
          const into = merged.get(key);
          if (into) mergeStats(into, s);
          else merged.set(key, s);
        }
        for (const [key, s] of merged) {
          const template = templateText(c, s.tokens);
          const counts = s.perMinute;
          const exemplars = exemplarTexts(s).map(stripAnsi);
          const summary: TemplateSummary = {
            id: key ? `${c.id}.${fingerprint(key).slice(0, 6)}` : String(c.id),
            template,
            fingerprint: fingerprint(template),
            count: s.count,
            level: s.level,
            signatures: [...s.signatures],
            ...(s.firstSeen !== undefined ? { firstSeen: s.firstSeen, lastSeen: lastSeenOf(s)! } : {}),
            firstEvent: s.firstEvent,
            lastEvent: s.lastEvent,
            // written out on each read, not held: a day of minutes for every template would be
            // a million pairs at once; ranking reads the compact counts attached below
            get perMinute() {
              return counts.entries();
            },
            exemplars,
          };
          attachMinuteSeries(summary, counts);
          templates.push(summary);
        }
      }
      templates.sort((a, b) => b.count - a.count);
      const findings = rankFindings(templates, { limit: options.maxFindings ?? 50 });
      return {
        lines,
        events,
        forms,
        templates,
        findings,
        miner: miner.stats(),
        evictedEvents,
        binaryLines,
        cappedLines,
        redactions,
      };
    },
  };
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : s.slice(0, nl);
}

/** The digest of a result for a model prompt, within `budgetTokens`. */
export function digestOf(result: TriageResult, budgetTokens: number): Digest {
  return renderDigest(result.findings, { budgetTokens, lines: result.lines, templates: result.templates.length });
}
