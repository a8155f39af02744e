import { WEB_ORIGIN } from "./harness.ts";

export type Envelope = {
  type: string;
  data: any;
  scope: "INDIVIDUAL" | "CHANNEL";
  meta: { ts: number; orgId?: string; channel?: string; seq?: number };
};

/** A real WebSocket client that records everything it receives, for assertions. */
export class TestSocket {
  readonly messages: Envelope[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];
  private readonly ws: WebSocket;
  /** Answer the hub's PINGs (a silent client is closed by the heartbeat). */
  autoPong = true;

  constructor(
    baseUrl: string,
    options: { cookie?: string; origin?: string | null; query?: string; authorization?: string } = {},
  ) {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.authorization) headers.authorization = options.authorization;
    if (options.origin !== null) headers.origin = options.origin ?? WEB_ORIGIN;
    const url = `${baseUrl.replace(/^http/, "ws")}/ws${options.query ? `?${options.query}` : ""}`;
    this.ws = new WebSocket(url, { headers });
    this.ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as Envelope;
      if (message.type === "PING" && this.autoPong) this.send({ type: "PONG", ts: message.data.ts });
      this.messages.push(message);
      for (const wake of this.waiters.splice(0)) wake();
    };
    this.closed = new Promise((resolve) => {
      this.ws.onclose = (event) => {
        resolve({ code: event.code, reason: event.reason });
        for (const wake of this.waiters.splice(0)) wake();
      };
    });
  }

  get readyState(): number {
    return this.ws.readyState;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  sendRaw(data: string | Uint8Array): void {
    this.ws.send(data);
  }

  close(): void {
    this.ws.close();
  }

  /** Events (messages with a seq) received so far. */
  events(): Envelope[] {
    return this.messages.filter((m) => m.meta.seq !== undefined);
  }

  /** Resolves with the first message (from `from` on) matching, or rejects after `timeoutMs`. */
  async next(predicate: (m: Envelope) => boolean, timeoutMs = 3000, from = 0): Promise<Envelope> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(predicate);
      if (found) return found;
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error("socket closed while waiting");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(this.messages.map((m) => m.type))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  nextOfType(type: string, timeoutMs?: number): Promise<Envelope> {
    return this.next((m) => m.type === type, timeoutMs);
  }

  async opened(): Promise<Envelope> {
    return this.nextOfType("CONNECTION_STATUS");
  }

  async subscribe(orgId: string, channel: string, afterSeq?: number): Promise<Envelope> {
    const from = this.messages.length;
    this.send({ type: "SUBSCRIBE", orgId, channel, ...(afterSeq === undefined ? {} : { afterSeq }) });
    return this.next(
      (m) => (m.type === "SUBSCRIBED" || m.type === "ERROR") && (m.type === "ERROR" || m.data.channel === channel),
      3000,
      from,
    );
  }

  /**
   * A barrier instead of a sleep: a round trip on this socket (an UNSUBSCRIBE of a room it is
   * not in, answered at once). The server writes to a socket in order, so everything it sent
   * before answering has arrived when this resolves.
   */
  async settled(): Promise<void> {
    const orgId = `barrier-${crypto.randomUUID()}`;
    const from = this.messages.length;
    this.send({ type: "UNSUBSCRIBE", orgId, channel: "public" });
    await this.next((m) => m.type === "UNSUBSCRIBED" && m.data.orgId === orgId, 3000, from);
  }

  /** Waits for `count` events in total, or returns what arrived after `timeoutMs`. */
  async waitForEvents(count: number, timeoutMs = 3000): Promise<Envelope[]> {
    try {
      await this.next(() => this.events().length >= count, timeoutMs);
    } catch {
      // return what we have; the caller asserts
    }
    return this.events();
  }
}
