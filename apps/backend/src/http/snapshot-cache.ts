/**
 * Serialized read responses keyed by the org's event `seq`. Every committed change to an
 * org appends an event, so an org whose last seq is unchanged has unchanged data, on every
 * instance: an entry is served only while the seq read at the start of the request matches
 * the one it was built under. Bounded by total bytes, least recently used first out.
 */
export class SnapshotCache {
  private entries = new Map<string, { seq: number; body: string }>();
  private building = new Map<string, Promise<string>>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string, seq: number): string | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.seq !== seq) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.body;
  }

  set(key: string, seq: number, body: string): void {
    if (body.length > this.maxBytes / 4) return; // also: a 0-byte budget caches nothing
    this.delete(key);
    this.entries.set(key, { seq, body });
    this.bytes += body.length;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
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

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.body.length;
    this.entries.delete(key);
  }
}
