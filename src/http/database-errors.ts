// Whether an error means "the database cannot be reached right now" (refused, dropped, shutting down,
// full) rather than a bug: such errors are a 503 with Retry-After, and the app recovers by itself as
// soon as the database is back (the pool reconnects).

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** The postgres client's own codes for a connection that is gone or never came. */
const CLIENT_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);
/** SQLSTATE classes 08 (connection exception), 57P0x (shutdown, cannot connect now), 53300 (too many connections). */
const SQLSTATE = /^(08\d{3}|57P0[1-4]|53300)$/;

export const DATABASE_RETRY_SECONDS = 5;

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || CLIENT_CODES.has(code) || SQLSTATE.test(code)))
    return true;
  return isDatabaseUnavailable((err as { cause?: unknown }).cause, depth + 1);
}

/** The JSON-RPC error code an MCP request gets when the database is unavailable (a server error, -32000..-32099). */
export const DATABASE_UNAVAILABLE_RPC_CODE = -32050;
