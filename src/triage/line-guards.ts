// Guards on what reaches the miner: binary output is counted, not mined (a template of NUL bytes
// says nothing); a long line is mined from its first MINING_CAP characters (a 50 MB line must not
// become a 50 MB template); undecodable bytes (U+FFFD after UTF-8 decoding) make their word a
// variable, so that one error with varying broken bytes stays one template.

export const MINING_CAP = 8192;
/** Longest text parsed (JSON, logfmt, headers); the pipeline cuts longer lines here first. */
export const PARSE_CAP = 65536;

const REPLACEMENT = '\uFFFD';

/** NUL bytes, or mostly undecodable characters: output of a binary, not a log line. */
export function isBinaryLine(text: string): boolean {
  if (text.indexOf('\u0000') >= 0) return true;
  const first = text.indexOf(REPLACEMENT);
  if (first < 0) return false;
  let bad = 0;
  const n = Math.min(text.length, 4096);
  for (let i = first; i < n; i++) if (text.charCodeAt(i) === 0xfffd) bad++;
  return bad >= 4 && bad * 4 >= n;
}

/** The message as the miner should see it: capped, and with words holding undecodable bytes masked. */
export function mineable(message: string): string {
  let m = message.length > MINING_CAP ? message.slice(0, MINING_CAP) : message;
  if (m.indexOf(REPLACEMENT) >= 0) m = m.replace(/\S*\uFFFD\S*/g, '<*>');
  return m;
}
