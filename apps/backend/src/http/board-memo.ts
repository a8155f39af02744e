import type { PublicBoard } from "@tandem/domain";

/**
 * Which public board a slug names, and at which seq, remembered for `ttlMs`: anonymous reads
 * of a cached page then never touch the database. A commit in this process forgets the org
 * at once; a commit elsewhere (another instance, the worker) shows within `ttlMs`, and the
 * board's live socket delivers it meanwhile. Concurrent look-ups of one slug share one read.
 */
export class BoardMemo {
  private readonly boards = new Map<string, { board: PublicBoard; at: number }>();
  private readonly loading = new Map<string, Promise<PublicBoard>>();

  constructor(private readonly ttlMs: number) {}

  get(slug: string, load: () => Promise<PublicBoard>): Promise<PublicBoard> {
    const known = this.boards.get(slug);
    if (known && performance.now() - known.at < this.ttlMs) return Promise.resolve(known.board);
    let pending = this.loading.get(slug);
    if (!pending) {
      const at = performance.now();
      pending = load()
        .then((board) => {
          if (this.boards.size > 10_000) this.boards.clear();
          this.boards.set(slug, { board, at });
          return board;
        })
        .finally(() => this.loading.delete(slug));
      this.loading.set(slug, pending);
    }
    return pending;
  }

  /** A change committed in this process: the org's next read goes to the database. */
  forget(orgId: string): void {
    for (const [slug, { board }] of this.boards) if (board.org.id === orgId) this.boards.delete(slug);
  }
}
