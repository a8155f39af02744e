import {
  SeqCursor,
  type TChannel,
  type TEventMessage,
  type TPresence,
  type TPublicEventMessage,
  type TServerMessage,
} from "@tandem/contracts";
import { onEventSeq, setWsClientId } from "./api.ts";

export type LiveStatus = "connecting" | "connected" | "reconnecting" | "offline";
export type Presence = TPresence[];

type Handlers<E> = {
  onEvent: (message: E) => void;
  onResync: () => void;
  onPresence: (presence: Presence) => void;
  onRevoked: (reason: string) => void;
  /**
   * The first SUBSCRIBED of this subscription. It starts at the hub's latest seq, so whatever
   * changed between the page's own read and this moment never arrives as an event: a page that
   * read before subscribing reads again here.
   */
  onFirstSubscribed?: () => void;
};
/** A channel and its handlers: the public channel carries redacted events, the others the log's. */
export type Listener =
  | ({ channel: "public" } & Handlers<TPublicEventMessage>)
  | ({ channel: "tasks" | "admin" } & Handlers<TEventMessage>);
type Subscription = {
  orgId: string;
  channel: TChannel;
  /** Where to resume; also moved by this tab's own changes, which the hub does not echo. */
  cursor: SeqCursor;
  presence: Presence;
  handlers: Listener;
  subscribed: boolean;
};

/**
 * One WebSocket per tab. Subscriptions survive reconnects: each re-subscribes with the last
 * seq it saw, so the hub replays what was missed (or says RESYNC) before going live again.
 */
export class LiveSocket {
  private ws: WebSocket | null = null;
  private status: LiveStatus = "connecting";
  private readonly statusListeners = new Set<(status: LiveStatus) => void>();
  private readonly subscriptions = new Map<string, Subscription>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private probe: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    /** How long a socket may stay silent after a liveness probe before it is given up. */
    private readonly probeTimeoutMs = 4000,
  ) {
    this.connect();
    // The browser's network events are hints, not the socket's state: a socket can survive
    // a short offline spell. Check the socket itself and show what it really is.
    window.addEventListener("online", () => (this.ws ? this.checkAlive() : this.reconnectNow()));
    window.addEventListener("offline", () => this.checkAlive());
  }

  getStatus(): LiveStatus {
    return this.status;
  }

  /** The seq of a change this tab made (`X-Event-Seq`): its echo never comes over the socket. */
  acknowledge(orgId: string, seq: number): void {
    for (const subscription of this.subscriptions.values()) {
      if (subscription.orgId === orgId) subscription.cursor.acknowledge(seq);
    }
  }

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  subscribe(orgId: string, handlers: Listener): () => void {
    const { channel } = handlers;
    const key = `${orgId}:${channel}`;
    const subscription: Subscription = {
      orgId,
      channel,
      cursor: new SeqCursor(),
      presence: [],
      handlers,
      subscribed: false,
    };
    this.subscriptions.set(key, subscription);
    this.sendSubscribe(subscription);
    return () => {
      if (this.subscriptions.get(key) !== subscription) return;
      this.subscriptions.delete(key);
      this.send({ type: "UNSUBSCRIBE", orgId, channel });
    };
  }

  private connect(): void {
    if (this.closed) return;
    this.setStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    const ws = new WebSocket(`${this.url.replace(/^http/, "ws")}/ws`);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setStatus("connected");
      for (const subscription of this.subscriptions.values()) this.sendSubscribe(subscription);
    };
    ws.onmessage = (event) => {
      this.alive();
      this.handle(JSON.parse(String(event.data)) as TServerMessage);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.stopProbe();
      setWsClientId(null);
      this.ws = null;
      this.scheduleReconnect();
    };
  }

  /**
   * Sends a PING (the hub answers anything, even in the waiting room); any message back proves
   * the socket alive. No answer within the probe timeout: close it and reconnect.
   */
  private checkAlive(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      if (!ws) this.setStatus(navigator.onLine ? "reconnecting" : "offline");
      return;
    }
    // Without a subscription the hub would count a PING as an offence; nothing to lose then.
    if (this.probe || this.subscriptions.size === 0) return;
    ws.send(JSON.stringify({ type: "PING", ts: Date.now() }));
    this.probe = setTimeout(() => {
      this.probe = null;
      if (this.ws !== ws) return;
      ws.close();
      // onclose may come late on a dead network: reconnect now rather than wait for it.
      this.ws = null;
      setWsClientId(null);
      this.scheduleReconnect();
    }, this.probeTimeoutMs);
  }

  /** Something arrived: the socket works, whatever the browser's network events said. */
  private alive(): void {
    this.stopProbe();
    if (this.status !== "connected") this.setStatus("connected");
  }

  private stopProbe(): void {
    if (this.probe) clearTimeout(this.probe);
    this.probe = null;
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    this.setStatus(typeof navigator !== "undefined" && !navigator.onLine ? "offline" : "reconnecting");
    const delay = Math.min(10_000, 250 * 2 ** this.attempt) * (0.75 + Math.random() / 2);
    this.attempt += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private reconnectNow(): void {
    if (this.ws) return;
    if (this.timer) clearTimeout(this.timer);
    this.connect();
  }

  private sendSubscribe(subscription: Subscription): void {
    this.send({
      type: "SUBSCRIBE",
      orgId: subscription.orgId,
      channel: subscription.channel,
      ...(subscription.cursor.lastSeq !== null ? { afterSeq: subscription.cursor.lastSeq } : {}),
    });
  }

  private send(message: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private handle(message: TServerMessage): void {
    if (message.type === "PING") {
      this.send({ type: "PONG", ts: message.data.ts });
      return;
    }
    if (message.type === "CONNECTION_STATUS") {
      setWsClientId(message.data.wsClientId);
      return;
    }
    const { orgId, channel } = message.meta;
    const subscription = orgId && channel ? this.subscriptions.get(`${orgId}:${channel}`) : undefined;
    if (!subscription) return;
    switch (message.type) {
      case "SUBSCRIBED":
        subscription.cursor.start(message.data.lastSeq);
        subscription.presence = message.data.present;
        subscription.handlers.onPresence(subscription.presence);
        if (!subscription.subscribed) {
          subscription.subscribed = true;
          subscription.handlers.onFirstSubscribed?.();
        }
        return;
      case "RESYNC":
        subscription.cursor.reset(message.data.lastSeq);
        subscription.handlers.onResync();
        return;
      case "USER_SUBSCRIBED":
        subscription.presence = [...subscription.presence, message.data];
        subscription.handlers.onPresence(subscription.presence);
        return;
      case "USER_UNSUBSCRIBED": {
        const { wsClientId } = message.data;
        subscription.presence = subscription.presence.filter((p) => p.wsClientId !== wsClientId);
        subscription.handlers.onPresence(subscription.presence);
        return;
      }
      case "UNSUBSCRIBED":
        if (message.data.reason) subscription.handlers.onRevoked(message.data.reason);
        return;
      case "PONG":
      case "ERROR":
        return;
      default:
        this.deliver(subscription, message);
    }
  }

  /** An event, once: already applied, or this tab's own change (replayed after a reconnect), is skipped. */
  private deliver({ cursor, handlers }: Subscription, message: TEventMessage | TPublicEventMessage): void {
    const { seq } = message.meta;
    if (seq === undefined || !cursor.accept(seq)) return;
    // The hub renders each channel's own view of an event (the public one redacted).
    if (handlers.channel === "public") handlers.onEvent(message as TPublicEventMessage);
    else handlers.onEvent(message as TEventMessage);
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

let shared: LiveSocket | null = null;
export function liveSocket(apiUrl: string): LiveSocket {
  if (!shared) {
    const socket = new LiveSocket(apiUrl);
    onEventSeq((orgId, seq) => socket.acknowledge(orgId, seq));
    shared = socket;
  }
  return shared;
}
