/**
 * The database-path limit of bench/ws.ts: what the hub must do per event with the application
 * taken out. LISTEN on `tandem_events` (the product's trigger channel), and on each NOTIFY for
 * the limit's org read the new rows back (one prepared query from the cursor, coalescing
 * NOTIFYs that arrive during a read) and `server.publish` each as the hub's envelope to a bare
 * Bun.serve. Together with ws-appender.ts: transaction + commit + NOTIFY + read back + publish.
 */
import { connect } from "@tandem/database";
import { cleanups } from "./lifecycle.ts";
import { envelope, type startBareServer } from "./ws-bare.ts";

type Row = { seq: string | number; type: string; payload: unknown };

export async function startRelay(
  databaseUrl: string,
  orgId: string,
  bare: ReturnType<typeof startBareServer>,
  topic: string,
): Promise<void> {
  const handle = connect(databaseUrl, { max: 2, applicationName: "tandem-bench-relay" });
  cleanups.push(() => handle.close());
  const { sql } = handle;
  const [head] = await sql<
    { seq: string }[]
  >`select last_event_seq::text as seq from org_counter where org_id = ${orgId}`;
  let cursor = Number(head?.seq ?? 0);
  let pending = false;
  let reading = false;
  const readBack = async () => {
    if (reading) return;
    reading = true;
    try {
      while (pending) {
        pending = false;
        const rows = await sql<Row[]>`
          select seq, type, payload from event where org_id = ${orgId} and seq > ${cursor} order by seq limit 1000`;
        for (const row of rows) {
          const seq = Number(row.seq);
          bare.publish(topic, envelope(row.type, row.payload, orgId, seq));
          cursor = seq;
        }
        if (rows.length === 1000) pending = true;
      }
    } finally {
      reading = false;
    }
  };
  const prefix = `${orgId}:`;
  await sql.listen("tandem_events", (payload) => {
    if (!payload.startsWith(prefix)) return;
    pending = true;
    void readBack();
  });
}
