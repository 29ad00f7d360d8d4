// Secrets stated in words: "password is X", "the token for bob was X", "with password X", "using
// token X", "set password to X", and redis's `AUTH X` command (also `AUTH user X`).
import { mark, MARK_PREFIX } from './kinds.ts';
import { PROSE_WORDS } from './key-names.ts';
import { F } from './features.ts';
import type { Rule } from './rule.ts';

const NOUN =
  '(?:pass(?:word|wd|phrase|code)?|pwd|secret(?:\\s+key)?|token|api[ _-]?key|access[ _-]?key|secret[ _-]?key|private[ _-]?key|credentials?|pin|otp|auth(?:entication)?\\s+token|session\\s+(?:id|key|token)|cookie)';

// a value: quoted, or one word that is not an ordinary English word of a sentence
const VALUE = `("[^"]{1,200}"|'[^']{1,200}'|\`[^\`]{1,200}\`|[^\\s"'\`,;]+)`;

function plainWord(v: string): boolean {
  const w = v.replace(/[.!?:]+$/, '');
  if (w.length === 0 || v.startsWith(MARK_PREFIX)) return true;
  if (PROSE_WORDS.has(w.toLowerCase())) return true;
  // an ordinary lower-case word ("changed", "rotation", "configured") reads as prose
  return /^[a-z]+$/.test(w) && (w.length < 6 || /(?:ed|ing|ly|ion|ble|ment|ness|ful|ous|ive)$/.test(w));
}

function keep(m: string, value: string): string | null {
  if (plainWord(value)) return null;
  const bare = value.replace(/[.!?:]+$/, '');
  const q = /^["'`]/.test(bare) ? bare[0] : '';
  return `${m.slice(0, m.length - value.length)}${q}${mark('secret_phrase')}${q}${value.slice(bare.length)}`;
}

/** "password is X", "password for bob was X", "password set to X", "password of X". */
export const nounVerbRule: Rule = {
  kind: 'secret_phrase',
  needs: F.PROSE,
  re: new RegExp(
    `\\b${NOUN}(?:\\s+(?:for|of)\\s+[^\\s]{1,64})?\\s+(?:is|was|are|were|reads|equals|(?:has\\s+been\\s+|was\\s+|got\\s+)?(?:set|changed|reset|updated|rotated)\\s+to)\\s*:?\\s+${VALUE}`,
    'gi',
  ),
  replace: (m, g) => keep(m, g[0]!),
};

/** "with password X", "using token X", "use the api key X", "password X" after a verb of sending. */
export const prepositionRule: Rule = {
  kind: 'secret_phrase',
  needs: F.PROSE,
  re: new RegExp(
    `\\b(?:with|using|via|by|use|uses|used|sent|sending|send|got|received|provided|supplied|accepted|rejected|tried|trying|entered|typed)\\s+(?:the\\s+|a\\s+|an\\s+|their\\s+|his\\s+|her\\s+|its\\s+|our\\s+|my\\s+|new\\s+|old\\s+|admin\\s+|root\\s+|user\\s+)*${NOUN}\\s*[:=]?\\s+${VALUE}`,
    'gi',
  ),
  replace: (m, g) => keep(m, g[0]!),
};

/** redis: `AUTH secret` and `AUTH user secret` as a command (upper case, as redis logs and clients print it). */
export const redisAuthRule: Rule = {
  kind: 'secret_phrase',
  needs: F.REDIS_AUTH,
  re: /\b(AUTH\s+)(?:([A-Za-z0-9_.@-]{1,64})\s+)?("[^"]*"|'[^']*'|[^\s"',;]+)/g,
  replace: (m, g) => {
    const [head, user, value] = g as [string, string | undefined, string];
    if (
      value.startsWith(MARK_PREFIX) ||
      /^(?:failed|failure|ok|error|required|but|command|is|was|with|for)$/i.test(value)
    )
      return null;
    return `${head}${user ? `${user} ` : ''}${mark('secret_phrase')}`;
  },
};
