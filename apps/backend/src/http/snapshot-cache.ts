import { LRUCache } from "lru-cache";

/**
 * Serialized read responses keyed by the org's event `seq`. Every committed change to an
 * org appends an event, so an org whose last seq is unchanged has unchanged data, on every
 * instance: an entry is served only while the seq read at the start of the request matches
 * the one it was built under. Bounded by total bytes, least recently used first out (lru-cache);
 * one body may take at most a quarter of the budget, and a 0-byte budget caches nothing.
 */
export class SnapshotCache {
  private readonly entries: LRUCache<string, { seq: number; body: string }> | null;
  private readonly building = new Map<string, Promise<string>>();

  constructor(maxBytes: number) {
    const maxEntrySize = Math.floor(maxBytes / 4);
    this.entries =
      maxEntrySize > 0
        ? new LRUCache({ maxSize: maxBytes, maxEntrySize, sizeCalculation: (entry) => Math.max(1, entry.body.length) })
        : null;
  }

  get(key: string, seq: number): string | undefined {
    const entry = this.entries?.get(key);
    return entry?.seq === seq ? entry.body : undefined;
  }

  set(key: string, seq: number, body: string): void {
    // Over `maxEntrySize`, lru-cache stores nothing and drops the key's older body.
    this.entries?.set(key, { seq, body });
  }

  /**
   * The cached body, or one build shared by every request that asks for the same key and seq
   * meanwhile: a burst of identical reads costs one query, not one each.
   */
  async getOrBuild(key: string, seq: number, build: () => Promise<string>): Promise<string> {
    const cached = this.get(key, seq);
    if (cached !== undefined) return cached;
    const flight = `${seq}:${key}`;
    let pending = this.building.get(flight);
    if (!pending) {
      pending = build()
        .then((body) => {
          this.set(key, seq, body);
          return body;
        })
        .finally(() => this.building.delete(flight));
      this.building.set(flight, pending);
    }
    return pending;
  }
}
