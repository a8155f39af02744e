/**
 * A subscription's position in the org's event log, as a client keeps it (the protocol page,
 * "Your own changes"). The hub skips the socket whose request made a change, so that client
 * learns the change's seq from the REST response (`X-Event-Seq`) instead. The cursor moves
 * over such a seq only when nothing can still be missing before it: when it is the very next
 * seq, or when a later event arrives (the hub delivers in seq order, so it passed it).
 * Moving it any earlier would skip an event of someone else that is still on its way.
 */
export class SeqCursor {
  /** The highest seq up to which everything was applied: resume after it. */
  lastSeq: number | null = null;
  /** Seqs of this client's own changes, above `lastSeq`. */
  private readonly own = new Set<number>();

  /** SUBSCRIBED: start from the hub's position, unless resuming from our own. */
  start(lastSeq: number): void {
    this.lastSeq ??= lastSeq;
    this.settle();
  }

  /** RESYNC: the state is reloaded from REST; continue from the hub's position. */
  reset(lastSeq: number): void {
    this.lastSeq = lastSeq;
    this.settle();
  }

  /** The seq of a change this client made (the hub will not echo it to this socket). */
  acknowledge(seq: number): void {
    if (this.lastSeq !== null && seq <= this.lastSeq) return;
    this.own.add(seq);
    this.settle();
  }

  /** An event arrived: true when it must be applied (new, and not this client's own change). */
  accept(seq: number): boolean {
    if (this.lastSeq !== null && seq <= this.lastSeq) return false;
    const mine = this.own.delete(seq);
    this.lastSeq = seq;
    this.settle();
    return !mine;
  }

  private settle(): void {
    if (this.lastSeq === null) return;
    for (const seq of this.own) if (seq <= this.lastSeq) this.own.delete(seq);
    while (this.own.delete(this.lastSeq + 1)) this.lastSeq += 1;
  }
}
