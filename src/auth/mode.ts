// Whether requests must authenticate. The Docker socket is root on the host, so the rule is: reachable
// beyond this machine means a token, unless the operator says CYBER_BRAIN_AUTH=off in so many words.

export interface AuthMode {
  enabled: boolean;
  /** Shown by /readyz, the API index and the UI, so nobody wonders whether auth is on. */
  reason: string;
}

export class AuthModeError extends Error {
  override name = 'AuthModeError';
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

export function decideAuthMode(host: string, token: string | undefined, setting: 'auto' | 'on' | 'off'): AuthMode {
  const loopback = isLoopbackHost(host);
  if (setting === 'off') {
    return {
      enabled: false,
      reason: loopback
        ? 'CYBER_BRAIN_AUTH=off'
        : `CYBER_BRAIN_AUTH=off while bound to ${host}: anyone who can reach this port can read containers and launch runs`,
    };
  }
  if (token) return { enabled: true, reason: 'CYBER_BRAIN_TOKEN is set' };
  if (setting === 'on') throw new AuthModeError('CYBER_BRAIN_AUTH=on needs CYBER_BRAIN_TOKEN (the admin token)');
  if (!loopback) {
    throw new AuthModeError(
      `HOST=${host} is reachable beyond this machine and CYBER_BRAIN_TOKEN is not set: set a token, or set CYBER_BRAIN_AUTH=off to run without authentication`,
    );
  }
  return { enabled: false, reason: `bound to loopback (${host}) without CYBER_BRAIN_TOKEN` };
}
