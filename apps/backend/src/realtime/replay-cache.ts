/**
 * Chunks of the public channel's log, read and rendered once for every socket that replays
 * the same range: thirty visitors resuming from seq 0 cost one read and one render of each
 * chunk, not thirty. The log is append-only, so a full chunk (the first `size` events after a
 * seq) never changes; a caller that must stop earlier filters by its own `upto`. Public
 * payloads are excerpts, so a chunk stays small; at most `maxChunks` are kept, least recently
 * used out first. The key names everything the rendering depends on (room, public fields).
 */
export class ReplayCache<T> {
  private readonly chunks = new Map<string, T[]>();
  private readonly loading = new Map<string, Promise<T[]>>();

  constructor(
    private readonly size: number,
    private readonly maxChunks = 64,
  ) {}

  async chunk(key: string, after: number, load: () => Promise<T[]>): Promise<T[]> {
    const id = `${key}:${after}`;
    const cached = this.chunks.get(id);
    if (cached) {
      this.chunks.delete(id);
      this.chunks.set(id, cached);
      return cached;
    }
    let pending = this.loading.get(id);
    if (!pending) {
      pending = load()
        .then((events) => {
          if (events.length === this.size) this.remember(id, events);
          return events;
        })
        .finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  private remember(id: string, events: T[]): void {
    this.chunks.set(id, events);
    for (const [oldest] of this.chunks) {
      if (this.chunks.size <= this.maxChunks) break;
      this.chunks.delete(oldest);
    }
  }
}
