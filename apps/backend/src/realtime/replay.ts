import { CHANNEL_VISIBILITIES, PUBLIC_EXCERPT_CHARS } from "@tandem/contracts";
import { type Database, eventBounds, listEvents } from "@tandem/database";
import pLimit from "p-limit";
import type { Socket } from "./client.ts";
import { ReplayCache } from "./replay-cache.ts";
import { type Client, type OrgState, type Rendered, type Replay, type Room, type Rooms, renderEvent } from "./rooms.ts";

const REPLAY_CHUNK = 100;
/** Replay reads in flight across all sockets: the rest of the pool stays for requests. */
const REPLAY_READS = 2;
/** Past this much unsent data, a replay waits for the socket before reading more. */
const REPLAY_BUFFER_BYTES = 256 * 1024;

/** Resolves on the next macrotask, then (bounded) until the socket has sent most of its buffer. */
async function drained(ws: Socket): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  for (let waited = 0; ws.readyState === 1 && ws.getBufferedAmount() > REPLAY_BUFFER_BYTES && waited < 200; waited++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Resume with `afterSeq`: what a socket missed, from the event log, with bounded work per
 * socket (a replay budget a minute, RESYNC past it), per step (chunks, a yield and a
 * backpressure wait between them) and per process (a few reads in flight; public chunks
 * shared by every socket replaying the same range).
 */
export class Replayer {
  private readonly reads = pLimit(REPLAY_READS);
  private readonly publicChunks = new ReplayCache<Rendered>(REPLAY_CHUNK);

  constructor(
    private readonly db: Database,
    private readonly rooms: Rooms,
    private readonly options: { maxReplayEvents: number },
  ) {}

  /**
   * Sends what the client missed after `afterSeq`, then joins it to the live room with no gap
   * and no duplicate: live events arriving meanwhile are buffered and flushed past the replay.
   */
  async replay(client: Client, room: Room, org: OrgState, afterSeq: number, join: () => void): Promise<void> {
    const state: Replay = { afterSeq, buffer: [] };
    this.rooms.startReplay(client, room, state);
    const upto = org.cursor;
    const bounds = await eventBounds(this.db, { orgId: room.orgId });
    const missingFrom = bounds.oldest ?? bounds.last + 1;
    const tooOld = afterSeq < bounds.last && afterSeq + 1 < missingFrom;
    const tooMuch = afterSeq <= upto && !client.takeReplay(upto - afterSeq, this.options.maxReplayEvents);
    if (afterSeq > bounds.last || tooOld || tooMuch) {
      // Older than the retained log, from a different history, or more than this socket's
      // replay budget (WS_MAX_REPLAY_EVENTS a minute): start from a snapshot (cached per seq).
      if (!room.replaying.has(client)) return;
      client.send({
        type: "RESYNC",
        scope: "INDIVIDUAL",
        data: { orgId: room.orgId, channel: room.channel, lastSeq: upto },
        meta: { orgId: room.orgId, channel: room.channel },
      });
      state.afterSeq = upto;
    } else {
      let after = afterSeq;
      while (after < upto) {
        // Bounded work per step: a few reads at a time across all sockets, small chunks, and
        // a yield between them so other tenants' requests keep flowing during a replay storm.
        const events = await this.chunk(room, org, after, upto);
        if (!room.replaying.has(client)) return; // unsubscribed or closed meanwhile
        for (const { seq, message } of events) {
          if (seq > upto) break;
          if (message) client.ws.send(message);
        }
        if (events.length < REPLAY_CHUNK) break;
        after = events.at(-1)?.seq ?? upto;
        await drained(client.ws);
      }
      state.afterSeq = upto;
    }
    if (!room.replaying.has(client)) return;
    for (const { seq, message } of state.buffer) if (seq > state.afterSeq) client.ws.send(message);
    join();
  }

  /**
   * The next chunk of a room's log after `after`. Public chunks (anonymous, excerpted, the
   * same for everyone) are shared through the replay cache; reads run a few at a time.
   */
  private chunk(room: Room, org: OrgState, after: number, upto: number): Promise<Rendered[]> {
    const read = async (bounded: boolean) => {
      const events = await this.reads(() =>
        listEvents(this.db, {
          orgId: room.orgId,
          after,
          ...(bounded ? { upto } : {}),
          limit: REPLAY_CHUNK,
          visibilities: CHANNEL_VISIBILITIES[room.channel],
          ...(room.channel === "public" ? { descriptionChars: PUBLIC_EXCERPT_CHARS + 1 } : {}),
        }),
      );
      return events.map((event) => ({ seq: event.seq, message: renderEvent(event, room, org.settings) }));
    };
    if (room.channel !== "public") return read(true);
    const projects = [...(org.settings.projects ?? [])].map(([id, fields]) => `${id}=${fields.join(",")}`).sort();
    const key = `${room.key}:${projects.join(";")}`;
    return this.publicChunks.chunk(key, after, () => read(false));
  }
}
