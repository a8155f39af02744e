/**
 * The baseline of bench/ws.ts: a bare Bun.serve whose sockets join one topic on open, fed
 * with `server.publish`. The WebSocket limits are the ones composeBackend sets (kept in step
 * by hand), so the difference from the hub is the application, not the transport settings.
 */
export function startBareServer(topic: string): Bun.Server<undefined> {
  return Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request, server) {
      if (server.upgrade(request)) return undefined;
      return new Response("expected a WebSocket upgrade", { status: 400 });
    },
    websocket: {
      maxPayloadLength: 64 * 1024,
      idleTimeout: 120,
      backpressureLimit: 1024 * 1024,
      closeOnBackpressureLimit: true,
      sendPings: false,
      perMessageDeflate: false,
      open(ws) {
        ws.subscribe(topic);
        // The hub confirms with SUBSCRIBED too; the subscriber process waits for it.
        ws.send('{"type":"SUBSCRIBED","data":{},"scope":"INDIVIDUAL","meta":{}}');
      },
      message() {
        // Subscribers send nothing but PONGs to the hub; nothing to do here.
      },
    },
  });
}

/**
 * The envelope the hub sends for an event (type, data, scope, meta with seq last), built the
 * same way, so the bare server publishes the same bytes.
 */
export function envelope(type: string, data: unknown, orgId: string, seq: number): string {
  return JSON.stringify({ type, data, scope: "CHANNEL", meta: { ts: Date.now(), orgId, channel: "tasks", seq } });
}
