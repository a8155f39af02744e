import pino from "pino";

type Level = "debug" | "info" | "warn" | "error";

export type Logger = Record<Level, (msg: string, fields?: Record<string, unknown>) => void> & {
  child(fields: Record<string, unknown>): Logger;
};

// Shared by every logger; synchronous, so the last line before a crash exit is not lost in a buffer.
let shared: pino.MultiStreamRes | undefined;
const streams = () =>
  (shared ??= pino.multistream(
    [
      { level: "debug", stream: pino.destination({ dest: 1, sync: true }) },
      { level: "warn", stream: pino.destination({ dest: 2, sync: true }) },
    ],
    // Each line goes to the one stream with the highest matching level: warn/error to stderr only.
    { dedupe: true },
  ));

/**
 * Structured JSON lines (pino): `{"level":"info","ts":"…",…bindings,…fields,"msg":"…"}`,
 * debug/info on stdout, warn/error on stderr, one object per event so log pipelines can parse them.
 */
export function createLogger(bindings: Record<string, unknown> = {}, minLevel: Level = "info"): Logger {
  return wrap(
    pino(
      {
        level: minLevel,
        base: bindings,
        messageKey: "msg",
        timestamp: () => `,"ts":"${new Date().toISOString()}"`,
        formatters: { level: (label) => ({ level: label }) },
      },
      streams(),
    ),
  );
}

function wrap(log: pino.Logger): Logger {
  return {
    debug: (msg, fields) => log.debug(fields ?? {}, msg),
    info: (msg, fields) => log.info(fields ?? {}, msg),
    warn: (msg, fields) => log.warn(fields ?? {}, msg),
    error: (msg, fields) => log.error(fields ?? {}, msg),
    child: (fields) => wrap(log.child(fields)),
  };
}
