// The model server must be local: logs summarised for a prompt never leave the house unless the
// operator says so (LLM_ALLOW_REMOTE=true). The check reads the configured URL only; it resolves no
// names, so a single-label or .lan name is trusted to be what the operator's own DNS says it is.
// The WHATWG URL parser has already normalised odd IPv4 forms (0x7f.1, 2130706433) and IPv6 text.

const LOCAL_SUFFIXES = ['.local', '.lan', '.home.arpa', '.localhost'];

function parseIpv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

function isLocalIpv4([a, b]: number[]): boolean {
  return (
    a === 127 || // loopback
    a === 10 || // private
    (a === 172 && b! >= 16 && b! <= 31) || // private
    (a === 192 && b === 168) || // private
    (a === 169 && b === 254) // link-local
  );
}

/** Eight 16-bit groups of an IPv6 address, or null when the text is not one. */
function parseIpv6(text: string): number[] | null {
  let host = text;
  // a trailing dotted quad (::ffff:10.0.0.1) becomes its two hex groups
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (v4) {
    const p = parseIpv4(v4[1]!);
    if (!p) return null;
    host = `${host.slice(0, -v4[1]!.length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const halves = host.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (![...head, ...rest].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const zeros = Array<number>(halves.length === 2 ? missing : 0).fill(0);
  return [...head, ...zeros.map(String), ...rest].map((g) => parseInt(g, 16));
}

function isLocalIpv6(g: number[]): boolean {
  const [first] = g;
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true; // ::1 loopback
  if ((first! & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((first! & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  // ::ffff:a.b.c.d (IPv4-mapped): judge the IPv4 address inside
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return isLocalIpv4([g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff]);
  }
  return false;
}

/** True when a URL host (as URL.hostname gives it, IPv6 in brackets) is local by the rules above. */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') && host.endsWith(']')) {
    const groups = parseIpv6(host.slice(1, -1));
    return groups !== null && isLocalIpv6(groups);
  }
  const v4 = parseIpv4(host);
  if (v4) return isLocalIpv4(v4);
  if (/^[\d.]+$/.test(host)) return false; // a malformed numeric host is not a name
  if (host === 'localhost' || !host.includes('.')) return host.length > 0; // single-label: a LAN name
  return LOCAL_SUFFIXES.some((s) => host.endsWith(s));
}

/** True when the base URL points at a local model server. An unparsable URL is not local. */
export function isLocalModelUrl(baseUrl: string): boolean {
  try {
    return isLocalHost(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}

export const LOCAL_ONLY_EXPECTED =
  'a local model server (loopback, private or link-local address, or a .local, .lan, .home.arpa or single-label host name); set LLM_ALLOW_REMOTE=true to use a remote one';
