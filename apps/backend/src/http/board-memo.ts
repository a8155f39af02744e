import type { PublicBoard } from "@tandem/domain";
import { LRUCache } from "lru-cache";

/**
 * Which public board a slug names, and at which seq, remembered for `ttlMs`: anonymous reads
 * of a cached page then never touch the database. A commit in this process forgets the org
 * at once; a commit elsewhere (another instance, the worker) shows within `ttlMs`, and the
 * board's live socket delivers it meanwhile. Concurrent look-ups of one slug share one read.
 */
export class BoardMemo<Board extends { org: { id: string } } = PublicBoard> {
  private readonly boards: LRUCache<string, Board>;
  private readonly loading = new Map<string, Promise<Board>>();

  constructor(ttlMs: number, maxBoards = 10_000) {
    this.boards = new LRUCache({ max: maxBoards, ttl: ttlMs });
  }

  get(slug: string, load: () => Promise<Board>): Promise<Board> {
    const known = this.boards.get(slug);
    if (known) return Promise.resolve(known);
    let pending = this.loading.get(slug);
    if (!pending) {
      // The entry's age counts from the start of the read that produced it (lru-cache's clock).
      const start = performance.now();
      pending = load()
        .then((board) => {
          this.boards.set(slug, board, { start });
          return board;
        })
        .finally(() => this.loading.delete(slug));
      this.loading.set(slug, pending);
    }
    return pending;
  }

  /** A change committed in this process: the org's next read goes to the database. */
  forget(orgId: string): void {
    const slugs = [...this.boards.entries()].filter(([, board]) => board.org.id === orgId).map(([slug]) => slug);
    for (const slug of slugs) this.boards.delete(slug);
  }
}
