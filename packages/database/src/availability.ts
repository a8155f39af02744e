import postgres from "postgres";

/**
 * How a database error should be answered. `unavailable`: the server is gone or refusing
 * connections (an outage: fail fast until a probe succeeds). `busy`: the server is up but
 * this statement gave up (lock or statement timeout, too many connections): retry soon.
 */
export type DatabaseErrorKind = "unavailable" | "busy";

// postgres.js connection errors, socket errors, and SQLSTATEs (class 08 is matched by prefix).
const UNAVAILABLE_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up or shutting down)
]);
const BUSY_CODES = new Set([
  "55P03", // lock_not_available: lock_timeout
  "57014", // query_canceled: statement_timeout
  "25P03", // idle_in_transaction_session_timeout
  "53300", // too_many_connections
]);

/** The error and its `cause` chain (Drizzle and Better Auth wrap the driver's error). */
function* causes(error: unknown): Generator<{ code?: unknown; name?: unknown }> {
  let e = error;
  for (let depth = 0; e && typeof e === "object" && depth < 8; depth++) {
    yield e as { code?: unknown; name?: unknown };
    e = (e as { cause?: unknown }).cause;
  }
}

/** True when Postgres or postgres.js itself reported the failure, not just some socket. */
function fromPostgres(error: unknown): boolean {
  for (const { code, name } of causes(error)) {
    if (typeof code === "string" && (name === "PostgresError" || code.startsWith("CONNECT"))) return true;
  }
  return false;
}

/** Classifies an error; null: not the database's fault. */
export function databaseErrorKind(error: unknown): DatabaseErrorKind | null {
  for (const { code } of causes(error)) {
    if (typeof code !== "string") continue;
    if (UNAVAILABLE_CODES.has(code) || code.startsWith("08")) return "unavailable";
    if (BUSY_CODES.has(code)) return "busy";
  }
  return null;
}

export type DatabaseAvailability = {
  /** False from the first sign of an outage until a probe connects again. */
  ok: () => boolean;
  /** Reports an error seen anywhere; an outage error marks the database down. Returns its kind. */
  report: (error: unknown) => DatabaseErrorKind | null;
  /** A connection closed: probe now, in the background (cheap when the server is fine). */
  suspect: () => void;
  /** Readiness: a probe within `timeoutMs`, which also updates the state. */
  check: () => Promise<boolean>;
  close: () => Promise<void>;
};

export type AvailabilityOptions = {
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
  onChange?: (up: boolean) => void;
};

/**
 * Tracks whether the database answers, with a probe on a connection of its own so the app's
 * pool (whose queries wait while it reconnects) never decides how fast requests fail. While
 * down, the app answers 503 without touching the pool; the probe runs every `probeIntervalMs`
 * and the first success brings it back.
 */
export function trackAvailability(url: string, options: AvailabilityOptions = {}): DatabaseAvailability {
  const intervalMs = options.probeIntervalMs ?? 250;
  const timeoutMs = options.probeTimeoutMs ?? 2000;
  let up = true;
  let closed = false;
  let probeSql: postgres.Sql | null = null;
  let loop: Promise<void> | null = null;

  const set = (next: boolean) => {
    if (next === up) return;
    up = next;
    options.onChange?.(next);
  };
  const probe = async (): Promise<boolean> => {
    probeSql ??= postgres(url, {
      max: 1,
      connect_timeout: Math.ceil(timeoutMs / 1000),
      idle_timeout: 5,
      backoff: () => 0,
      prepare: false,
      onnotice: () => {},
      connection: { application_name: "tandem-probe" },
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        probeSql`select 1`,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error("probe timed out")), timeoutMs);
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
  const watch = () => {
    loop ??= (async () => {
      while (!closed) {
        if (await probe()) {
          set(true);
          break;
        }
        set(false);
        await Bun.sleep(intervalMs);
      }
      loop = null;
    })();
  };

  return {
    ok: () => up,
    report: (error) => {
      const kind = databaseErrorKind(error);
      if (kind !== "unavailable") return kind;
      // Postgres said so: down now. A bare socket error (ECONNREFUSED…) may come from another
      // service (storage): let the probe decide, it answers within milliseconds.
      if (fromPostgres(error)) set(false);
      watch();
      return kind;
    },
    suspect: () => {
      if (!closed) watch();
    },
    check: async () => {
      if (!up) return false;
      const answered = await probe();
      if (!answered) {
        set(false);
        watch();
      }
      return answered;
    },
    close: async () => {
      closed = true;
      await loop;
      await probeSql?.end({ timeout: 1 });
    },
  };
}
