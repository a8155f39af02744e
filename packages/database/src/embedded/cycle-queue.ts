import type { PGlite } from "@electric-sql/pglite";

const SYNC = 0x53; // 'S': ends an extended-protocol cycle
const QUERY = 0x51; // 'Q': a simple query is a whole cycle
const TERMINATE = 0x58; // 'X'

type Item = {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
};

/**
 * Schedules wire-protocol messages from many client sockets onto PGlite's single backend.
 *
 * pglite-socket's own queue switches connections between any two messages, so an unnamed
 * statement parsed by one client can be bound by another ("bind message supplies 1
 * parameters, but prepared statement requires 2") whenever two connections query at once.
 * This queue hands the backend to one connection for a whole cycle (up to Sync or a simple
 * Query) and for the whole of an open transaction. No library does this: it works around the
 * upstream bug https://github.com/electric-sql/pglite/issues/1046 (fix proposed in
 * https://github.com/electric-sql/pglite/pull/977); drop it once a pglite-socket release fixes it.
 */
export class CycleQueue {
  private queue: Item[] = [];
  private processing = false;
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  private next(): Item | undefined {
    if (this.owner === null) return this.queue.shift();
    const index = this.queue.findIndex((item) => item.handlerId === this.owner);
    // The owner is mid-cycle: wait for its next message rather than interleave another's.
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        this.owner = item.handlerId;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
          item.resolve(bytes);
        } catch (error) {
          item.reject(error);
        }
        const type = item.message[0];
        const cycleEnded = type === SYNC || type === QUERY || type === TERMINATE || type === 0;
        if (cycleEnded && !this.db.isInTransaction()) this.owner = null;
      }
    } finally {
      this.processing = false;
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error("Handler disconnected"));
      return false;
    });
  }

  /** A client that vanished mid-transaction or mid-cycle must not hold the backend. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.owner = null;
    await this.process();
  }
}
