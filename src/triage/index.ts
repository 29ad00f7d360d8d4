// Log triage: pure, streaming logic (no I/O). The task module feeds it container log lines.
export { createTriage, digestOf, type Triage, type TriageOptions, type TriageResult } from './pipeline.ts';
export { renderDigest, type Digest, type DigestOptions } from './digest.ts';
export { rankFindings, type Finding, type FindingKind, type TemplateSummary } from './findings.ts';
export { fingerprint } from './fingerprint.ts';
export { maskTokens, WILDCARD } from './mask.ts';
export {
  createMiner,
  DEFAULT_MINER_OPTIONS,
  type Cluster,
  type Miner,
  type MinerOptions,
  type MinerStats,
} from './miner.ts';
export { createJoiner, type LogEvent, type LogLine } from './multiline.ts';
export { parseLine, type ParsedLine, type LineForm } from './parse-line.ts';
export { assessSeverity, guessLevel, type Severity, type Signature } from './severity.ts';
export { estimateTokens } from './token-estimate.ts';
export { stripAnsi } from './strip-ansi.ts';
export type { Level } from './log-level.ts';
