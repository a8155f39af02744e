/**
 * postgres.js (3.4.9 and earlier) can throw from a `setImmediate` in `nextWrite` after the
 * server closed the socket: `TypeError: null is not an object (evaluating 'socket.write')`
 * (https://github.com/porsager/postgres/issues/1066, /issues/1208). Nothing can catch it, so it
 * kills the process. `patches/postgres@3.4.9.patch` fixes the root; this is the second line.
 */
export function isDriverWriteCrash(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const writeOnNull = /socket\.write|reading 'write'/.test(error.message);
  const stack = error.stack ?? "";
  return writeOnNull && /\bnextWrite\b/.test(stack) && /postgres[/\\]src[/\\]connection\.js/.test(stack);
}

type Log = (message: string, fields: Record<string, unknown>) => void;

/**
 * Installs a process-level handler that swallows (and logs) only that known driver crash;
 * the pending queries have already failed with CONNECTION_CLOSED and the pool reconnects.
 * Any other uncaught exception is logged and ends the process with code 1, as it would
 * without a handler.
 */
export function installDriverCrashGuard(log: { warn: Log; error: Log }): () => void {
  const handler = (error: unknown) => {
    const describe = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error;
    if (isDriverWriteCrash(error)) {
      log.warn("database driver wrote to a closed socket; ignored (porsager/postgres#1066)", { error: describe });
      return;
    }
    log.error("uncaught exception", { error: describe });
    process.exit(1);
  };
  process.on("uncaughtException", handler);
  return () => process.off("uncaughtException", handler);
}
