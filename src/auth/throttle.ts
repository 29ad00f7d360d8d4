// Slows down sign-in and token guessing per client address: after `max` failures within `windowMs`
// the address is refused (429 with Retry-After) until the oldest of them leaves the window. Kept in
// memory: a restart forgets it, which costs a guesser nothing they could not get by waiting. A success
// does not wipe the count, or a caller holding one weak token could keep guessing a stronger one.

/** Addresses remembered at most; beyond it the stalest are dropped (a flood of addresses is a different attack). */
const MAX_ADDRESSES = 10_000;

export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(address: string): number[] {
    const list = this.failures.get(address);
    if (!list) return [];
    const since = this.now() - this.windowMs;
    while (list.length && list[0]! <= since) list.shift();
    if (!list.length) this.failures.delete(address);
    return list;
  }

  /** Milliseconds this address must wait before its next try; 0 when it may try now. */
  waitMs(address: string): number {
    const list = this.recent(address);
    if (list.length < this.max) return 0;
    return Math.max(1, list[list.length - this.max]! + this.windowMs - this.now());
  }

  /** Counts a failed try of this address. */
  fail(address: string): void {
    const list = this.recent(address);
    list.push(this.now());
    this.failures.delete(address); // re-inserted last: the Map's order is then stalest first
    this.failures.set(address, list);
    if (this.failures.size > MAX_ADDRESSES) {
      const stalest = this.failures.keys().next().value;
      if (stalest !== undefined) this.failures.delete(stalest);
    }
  }
}
