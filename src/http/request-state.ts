// What the front door learnt about a request before the app sees it: the client's address (for the
// sign-in throttle) and the caller it already authenticated (so the guard does not look it up again).
// Keyed by the Request object the app is handed.
import type { Principal } from '../auth/tokens.ts';

interface State {
  address?: string;
  principal?: Principal;
}

const states = new WeakMap<Request, State>();

export function setRequestState(request: Request, state: State): void {
  states.set(request, { ...states.get(request), ...state });
}

/** The client's address; requests handed to the app directly (tests) share one name. */
export const clientAddress = (request: Request): string => states.get(request)?.address ?? 'local';

export const preAuthenticated = (request: Request): Principal | undefined => states.get(request)?.principal;
