import { LRUCache } from "lru-cache";
import { type Bytes, type ContentEncoding, compress } from "./content-encoding.ts";

/**
 * One serialized response body: its JSON as bytes, encoded once, and each compressed variant
 * made the first time a client accepts it, then kept with it.
 */
export class SnapshotBody {
  private readonly variants = new Map<ContentEncoding, Bytes>();

  constructor(
    json: string,
    /** Told when a variant was added, so the cache can count its bytes. */
    private readonly grew: () => void,
  ) {
    this.variants.set("identity", new TextEncoder().encode(json));
  }

  encoded(encoding: ContentEncoding): Bytes {
    let bytes = this.variants.get(encoding);
    if (!bytes) {
      bytes = compress(this.encoded("identity"), encoding);
      this.variants.set(encoding, bytes);
      this.grew();
    }
    return bytes;
  }

  /** Bytes held, every variant counted. */
  get size(): number {
    let total = 0;
    for (const bytes of this.variants.values()) total += bytes.byteLength;
    return total;
  }
}

type Entry = { seq: number; body: SnapshotBody };

/**
 * Serialized read responses keyed by the org's event `seq`. Every committed change to an
 * org appends an event, so an org whose last seq is unchanged has unchanged data, on every
 * instance: an entry is served only while the seq read at the start of the request matches
 * the one it was built under. Bounded by total bytes (compressed variants included), least
 * recently used first out (lru-cache); one body may take at most a quarter of the budget, and
 * a 0-byte budget caches nothing.
 */
export class SnapshotCache {
  private readonly entries: LRUCache<string, Entry> | null;
  private readonly building = new Map<string, Promise<SnapshotBody>>();

  constructor(maxBytes: number) {
    const maxEntrySize = Math.floor(maxBytes / 4);
    this.entries =
      maxEntrySize > 0
        ? new LRUCache({ maxSize: maxBytes, maxEntrySize, sizeCalculation: (entry) => Math.max(1, entry.body.size) })
        : null;
  }

  get(key: string, seq: number): SnapshotBody | undefined {
    const entry = this.entries?.get(key);
    return entry?.seq === seq ? entry.body : undefined;
  }

  set(key: string, seq: number, json: string): SnapshotBody {
    const body = new SnapshotBody(json, () => {
      // A new entry object, so lru-cache counts the size again (over `maxEntrySize` it drops it).
      if (this.entries?.peek(key)?.body === body) this.entries.set(key, { seq, body });
    });
    // Over `maxEntrySize`, lru-cache stores nothing and drops the key's older body.
    this.entries?.set(key, { seq, body });
    return body;
  }

  /**
   * The cached body, or one build shared by every request that asks for the same key and seq
   * meanwhile: a burst of identical reads costs one query, not one each.
   */
  async getOrBuild(key: string, seq: number, build: () => Promise<string>): Promise<SnapshotBody> {
    const cached = this.get(key, seq);
    if (cached !== undefined) return cached;
    const flight = `${seq}:${key}`;
    let pending = this.building.get(flight);
    if (!pending) {
      pending = build()
        .then((json) => this.set(key, seq, json))
        .finally(() => this.building.delete(flight));
      this.building.set(flight, pending);
    }
    return pending;
  }
}
