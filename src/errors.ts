// The domain's errors: what a caller did wrong (or may retry), raised below the doors (services, the
// Docker gateway, the store's users) with a status and a code of the one error shape. Each door maps
// them to its protocol: HTTP answers the status with {"error": {"code", "message", "details"}}, MCP
// turns them into tool errors. A 500 is a bug and never carries internal text.

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, such as Retry-After on a 429 or 503. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** A refusal the caller may retry after `seconds` (429 or 503), with the Retry-After header. */
export function retryLater(
  status: 429 | 503,
  code: string,
  message: string,
  seconds: number,
  details?: unknown,
): AppError {
  const wait = Math.max(1, Math.ceil(seconds));
  return new AppError(status, code, message, details, { 'retry-after': String(wait) });
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const badRequest = (message: string, details?: unknown) => new AppError(400, 'bad_request', message, details);
export const conflict = (message: string, details?: unknown) => new AppError(409, 'conflict', message, details);
