// Where a published port listens: every interface, a LAN address, or loopback only.
import type { Binding } from './types.ts';

const ALL = new Set(['', '0.0.0.0', '::', '[::]']);

/** Docker lists a port bound everywhere twice (0.0.0.0 and ::) and declares it as "": one form for all. */
export function normaliseHostIp(ip: string | null | undefined): string {
  return ALL.has(ip ?? '') ? '0.0.0.0' : (ip as string);
}

export function classifyBinding(ip: string): Binding {
  if (ALL.has(ip)) return 'all_interfaces';
  if (/^127\./.test(ip) || ip === '::1' || ip === 'localhost') return 'loopback';
  return 'lan';
}
