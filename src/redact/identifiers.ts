// Addresses that identify people and machines: e-mail addresses and IP addresses. Not secrets, masked
// by policy (a report names containers, not the hosts they talk to).
import { mark } from './kinds.ts';
import { F } from './features.ts';
import type { Rule } from './rule.ts';

function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isLocalChar(c: number): boolean {
  return isWord(c) || c === 46 || c === 37 || c === 43 || c === 45;
}

function isHexColonDot(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 46;
}

/** Rewrites `text` by replacing the spans `find` reports ([start, end) pairs, in order). */
function replaceSpans(text: string, spans: number[], marker: string): string {
  let out = '';
  let at = 0;
  for (let k = 0; k < spans.length; k += 2) {
    out += text.slice(at, spans[k]) + marker;
    at = spans[k + 1]!;
  }
  return out + text.slice(at);
}

// These three are written by hand around indexOf and short anchored patterns: a pattern that could
// start at any offset (a local part, a hex group) is tried at every offset of every line that passes
// the gate, and most lines with an @ or a "::" hold no address.

function isLabelChar(c: number): boolean {
  return isWord(c) || c === 45;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The end of the domain after the @ at `at` ("@example.org": labels, a dot, a top label of 2+ letters), or -1. */
function domainEnd(text: string, at: number): number {
  const n = text.length;
  let i = at + 1;
  let labels = 0;
  let lastLabelLetters = true;
  let end = -1;
  for (;;) {
    const start = i;
    let letters = true;
    while (i < n && isLabelChar(text.charCodeAt(i))) {
      if (!isLetter(text.charCodeAt(i))) letters = false;
      i++;
    }
    if (i === start) break;
    labels++;
    lastLabelLetters = letters && i - start >= 2;
    if (labels >= 2 && lastLabelLetters) end = i;
    if (i < n && text.charCodeAt(i) === 46 && i + 1 < n && isLabelChar(text.charCodeAt(i + 1))) i++;
    else break;
  }
  // the address ends at a word boundary ("a@b.org" in "a@b.org1" is no address)
  return end >= 0 && (end === n || !isWord(text.charCodeAt(end))) ? end : -1;
}

export const emailRule: Rule = {
  kind: 'email',
  needs: F.EMAIL,
  re: /@/g,
  replace: () => null,
  apply(text, counts) {
    const spans: number[] = [];
    let done = 0;
    let at = text.indexOf('@');
    while (at >= 0) {
      let start = at;
      while (start > done && isLocalChar(text.charCodeAt(start - 1))) start--;
      const end = start < at ? domainEnd(text, at) : -1;
      if (end > 0) {
        spans.push(start, end);
        done = end;
        at = text.indexOf('@', done);
      } else at = text.indexOf('@', at + 1);
    }
    if (spans.length === 0) return text;
    counts.email = (counts.email ?? 0) + spans.length / 2;
    return replaceSpans(text, spans, mark('email'));
  },
};

const FULL_IPV6 = /(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}/g;

/** True when s is an IPv6 address with a "::" (groups of up to four hex digits, at least one). */
function compressedIpv6(s: string): boolean {
  const halves = s.split('::');
  if (halves.length !== 2) return false;
  const groups = [...(halves[0] ? halves[0].split(':') : []), ...(halves[1] ? halves[1].split(':') : [])];
  if (groups.length === 0 || groups.length > 7) return false;
  return groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g));
}

export const ipv6Rule: Rule = {
  kind: 'ipv6',
  needs: F.IPV6,
  re: /::/g,
  replace: () => null,
  apply(text, counts) {
    const spans: number[] = [];
    const n = text.length;
    let i = text.indexOf('::');
    while (i >= 0) {
      let s = i;
      while (s > 0 && isHexColonDot(text.charCodeAt(s - 1))) s--;
      let e = i + 2;
      while (e < n && isHexColonDot(text.charCodeAt(e))) e++;
      while (e > i + 2 && text.charCodeAt(e - 1) === 46) e--; // a sentence's full stop
      const ok = (s === 0 || !isWord(text.charCodeAt(s - 1))) && (e === n || !isWord(text.charCodeAt(e)));
      if (ok && compressedIpv6(text.slice(s, e))) spans.push(s, e);
      i = text.indexOf('::', Math.max(e, i + 2));
    }
    if (spans.length === 0) return text;
    counts.ipv6 = (counts.ipv6 ?? 0) + spans.length / 2;
    return replaceSpans(text, spans, mark('ipv6'));
  },
};

/** The full form (eight groups, no "::"), rarer: a pattern of its own behind its own gate. */
export const ipv6FullRule: Rule = {
  kind: 'ipv6',
  needs: F.IPV6_FULL,
  re: FULL_IPV6,
  replace: () => null,
  apply(text, counts) {
    const spans: number[] = [];
    const n = text.length;
    FULL_IPV6.lastIndex = 0;
    for (let m = FULL_IPV6.exec(text); m; m = FULL_IPV6.exec(text)) {
      const s = m.index;
      const e = s + m[0].length;
      if (
        (s === 0 || !isHexColonDot(text.charCodeAt(s - 1))) &&
        (e === n || !(isWord(text.charCodeAt(e)) || text.charCodeAt(e) === 58))
      ) {
        spans.push(s, e);
      }
    }
    if (spans.length === 0) return text;
    counts.ipv6 = (counts.ipv6 ?? 0) + spans.length / 2;
    return replaceSpans(text, spans, mark('ipv6'));
  },
};

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The end of a dotted quad starting at `s` (four 0-255 numbers of 1-3 digits), or -1. */
function quadEnd(text: string, s: number): number {
  const n = text.length;
  let i = s;
  for (let k = 0; k < 4; k++) {
    let v = 0;
    const start = i;
    while (i < n && i - start < 3 && isDigit(text.charCodeAt(i))) v = v * 10 + text.charCodeAt(i++) - 48;
    if (i === start || v > 255 || (i < n && isDigit(text.charCodeAt(i)))) return -1;
    if (k < 3) {
      if (i >= n || text.charCodeAt(i) !== 46) return -1;
      i++;
    }
  }
  // not followed by a word character or ".<digit>" (a version "1.2.3.4.5")
  if (
    i < n &&
    (isWord(text.charCodeAt(i)) || (text.charCodeAt(i) === 46 && i + 1 < n && isDigit(text.charCodeAt(i + 1))))
  )
    return -1;
  return i;
}

export const ipv4Rule: Rule = {
  kind: 'ipv4',
  needs: F.IPV4,
  re: /\./g,
  replace: () => null,
  apply(text, counts) {
    const spans: number[] = [];
    // from each dot, back to the start of its number; a quad starts after a non-word, non-dot character
    let dot = text.indexOf('.');
    let done = 0;
    while (dot >= 0) {
      let s = dot;
      while (s > done && dot - s < 3 && isDigit(text.charCodeAt(s - 1))) s--;
      const before = s === 0 ? 32 : text.charCodeAt(s - 1);
      const end = s < dot && !isWord(before) && before !== 46 ? quadEnd(text, s) : -1;
      if (end > 0) {
        spans.push(s, end);
        done = end;
        dot = text.indexOf('.', end);
      } else dot = text.indexOf('.', dot + 1);
    }
    if (spans.length === 0) return text;
    counts.ipv4 = (counts.ipv4 ?? 0) + spans.length / 2;
    return replaceSpans(text, spans, mark('ipv4'));
  },
};
