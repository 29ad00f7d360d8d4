// The one error shape of every HTTP answer: {"error": {"code", "message", "details"}}. The errors
// themselves live in src/errors.ts.

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  details?: unknown,
  headers?: Record<string, string>,
): Response {
  return Response.json(errorBody(code, message, details), { status, headers });
}
