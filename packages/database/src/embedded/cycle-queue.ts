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

/** The public surface pglite-socket's handlers call on their query queue. */
export type CycleQueue = {
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number>;
  getQueueLength(): number;
  clearQueueForHandler(handlerId: number): void;
  /** A client that vanished mid-transaction or mid-cycle must not hold the backend. */
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
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
export function createCycleQueue(db: PGlite): CycleQueue {
  let queue: Item[] = [];
  let processing = false;
  let owner: number | null = null;

  const next = (): Item | undefined => {
    if (owner === null) return queue.shift();
    const index = queue.findIndex((item) => item.handlerId === owner);
    // The owner is mid-cycle: wait for its next message rather than interleave another's.
    return index === -1 ? undefined : queue.splice(index, 1)[0];
  };

  const process = async (): Promise<void> => {
    if (processing) return;
    processing = true;
    try {
      for (let item = next(); item; item = next()) {
        owner = item.handlerId;
        let bytes = 0;
        try {
          await db.runExclusive(() =>
            db.execProtocolRawStream(item.message, {
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
        if (cycleEnded && !db.isInTransaction()) owner = null;
      }
    } finally {
      processing = false;
    }
  };

  return {
    enqueue: (handlerId, message, onData) =>
      new Promise((resolve, reject) => {
        queue.push({ handlerId, message, onData, resolve, reject });
        void process();
      }),
    getQueueLength: () => queue.length,
    clearQueueForHandler: (handlerId) => {
      queue = queue.filter((item) => {
        if (item.handlerId !== handlerId) return true;
        item.reject(new Error("Handler disconnected"));
        return false;
      });
    },
    clearTransactionIfNeeded: async (handlerId) => {
      if (owner !== handlerId) return;
      if (db.isInTransaction()) await db.exec("ROLLBACK");
      owner = null;
      await process();
    },
  };
}
