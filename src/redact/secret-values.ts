// Which environment values count as known secrets. Every value of 8 characters or more, whatever its
// variable is called (people keep secrets in TENANT or SEED_WORD), except values that are structure:
// a name the inventory knows (container, compose service, network, alias, image), an image reference,
// a number, boolean or duration, an absolute path, a URL or host name without userinfo. A URL's
// userinfo password still counts.

export const MIN_KNOWN_VALUE_LENGTH = 8;

// Variables whose values describe the environment itself (locale, terminal, zone), never a secret.
const PLAIN_VARIABLES = /^(?:PATH|HOME|PWD|OLDPWD|SHELL|TERM|LANG|LANGUAGE|LC_[A-Z]+|TZ|HOSTNAME|SHLVL|USER|LOGNAME)$/;

const NUMBER = /^[+-]?(?:\d+(?:[._]\d+)*|\d*\.\d+)(?:e[+-]?\d+)?$/i;
const BOOLEAN = /^(?:true|false|yes|no|on|off|enabled|disabled)$/i;
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w|y|sec|secs|min|mins|hours?|days?))+$/i;
const ABSOLUTE_PATH = /^(?:\/|~\/|[A-Za-z]:\\)[^\s]*$/;
const URL = /^([a-z][a-z0-9+.-]*):\/\/([^\s\/?#]*)([\/?#]\S*)?$/i;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,62}\.?(?::\d{1,5})?$/;
const HOST_PORT = /^[A-Za-z0-9][A-Za-z0-9.-]*:\d{1,5}$/;
// registry/name[:tag][@digest], lower case, with a slash, a tag or a digest to tell it from a word
const IMAGE =
  /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;

export interface EnvEntry {
  name: string;
  value: string;
}

/** The secret parts of one value ([] when it is structure). */
export function secretPartsOf(value: string, structure: ReadonlySet<string>): string[] {
  const v = value.trim();
  const url = URL.exec(v);
  if (url) {
    // a URL is structure, its userinfo is not
    const at = url[2]!.lastIndexOf('@');
    if (at < 0) return [];
    const info = url[2]!.slice(0, at);
    const colon = info.indexOf(':');
    const password = colon >= 0 ? info.slice(colon + 1) : '';
    return password.length >= MIN_KNOWN_VALUE_LENGTH ? [password] : [];
  }
  if (v.length < MIN_KNOWN_VALUE_LENGTH) return [];
  if (structure.has(v) || structure.has(v.toLowerCase())) return [];
  if (NUMBER.test(v) || BOOLEAN.test(v) || DURATION.test(v) || ABSOLUTE_PATH.test(v)) return [];
  if (HOST.test(v) || HOST_PORT.test(v)) return [];
  if (IMAGE.test(v) && (v.includes('/') || v.includes(':') || v.includes('@'))) return [];
  return [v];
}

/** The values of `env` to redact verbatim wherever they appear. */
export function secretValuesOf(env: readonly EnvEntry[], structure: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const e of env) if (!PLAIN_VARIABLES.test(e.name)) out.push(...secretPartsOf(e.value, structure));
  return out;
}

/** Docker's "KEY=value" entries as name/value pairs. */
export function envEntries(raw: readonly string[]): EnvEntry[] {
  const out: EnvEntry[] = [];
  for (const entry of raw) {
    const eq = entry.indexOf('=');
    if (eq > 0) out.push({ name: entry.slice(0, eq), value: entry.slice(eq + 1) });
  }
  return out;
}
