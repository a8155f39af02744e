import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Webhook } from "standardwebhooks";

export type ResolvedAddress = { address: string; family: 4 | 6 };
/** Every address a host name resolves to (tests inject their own to stage DNS rebinding). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** How webhooks reach the network: the SSRF rule, the resolver, the per-request deadline. */
export type WebhookNetwork = { allowPrivateNetworks: boolean; resolve: Resolver; timeoutMs: number };

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => ({
    address: entry.address,
    family: entry.family === 6 ? 6 : 4,
  }));

export const DEFAULT_WEBHOOK_NETWORK: WebhookNetwork = {
  allowPrivateNetworks: false,
  resolve: systemResolver,
  timeoutMs: 10_000,
};

/** Why an address was refused: the URL is not sent to. */
export class UnsafeAddress extends Error {}

/**
 * Only public unicast addresses: loopback, private (10/8, 172.16/12, 192.168/16), link-local
 * (169.254/16 with the cloud metadata address, fe80::/10), unique-local (fc00::/7), CGNAT,
 * multicast, reserved, and v6 forms embedding a v4 address (mapped, 6to4, Teredo) are refused.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address); // ::ffff:10.0.0.1 is judged as 10.0.0.1
  return parsed.range() === "unicast";
}

/** The host without IPv6 brackets or the trailing dot of a fully qualified name (`localhost.`). */
function bareHost(url: URL): string {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return host.replace(/\.+$/, "").toLowerCase();
}

/** Names that are loopback whatever DNS says (RFC 6761): refused without asking a resolver. */
const isLoopbackName = (host: string) => host === "localhost" || host.endsWith(".localhost");

/**
 * The refusal never names the address a host resolved to: the person saving or reading a
 * webhook learns that it is private, not what the server's network holds there.
 */
const PRIVATE = "The URL's host resolves to a private or reserved address";

/**
 * The address to connect to for `url`: its literal IP, or what its name resolves to. Unless
 * private networks are allowed, every resolved address must be public (one private answer
 * is enough to refuse: a rebinding name may hand out either).
 */
export async function vetAddress(url: URL, network: WebhookNetwork): Promise<ResolvedAddress> {
  const host = bareHost(url);
  if (!network.allowPrivateNetworks && isLoopbackName(host)) throw new UnsafeAddress(PRIVATE);
  const literal = ipaddr.isValid(host) ? [{ address: host, family: host.includes(":") ? 6 : 4 } as const] : null;
  let addresses: ResolvedAddress[];
  try {
    addresses = literal ?? (await network.resolve(host));
  } catch {
    throw new UnsafeAddress(`${host} does not resolve`);
  }
  const first = addresses[0];
  if (!first) throw new UnsafeAddress(`${host} does not resolve`);
  if (!network.allowPrivateNetworks) {
    if (addresses.some((entry) => !isPublicAddress(entry.address))) throw new UnsafeAddress(PRIVATE);
  }
  return first;
}

/** Standard Webhooks headers for one attempt; every secret given signs (rotation overlap). */
export function signatureHeaders(msgId: string, body: string, secrets: readonly string[], now = new Date()) {
  const at = new Date(Math.floor(now.getTime() / 1000) * 1000);
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(at.getTime() / 1000),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(msgId, at, body)).join(" "),
  };
}

export type AttemptResult = {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  response: string | null;
  error: string | null;
};

const MAX_RESPONSE_BYTES = 4096;

/**
 * POSTs a signed body to `url`, connecting to the address vetted just before (so a name
 * that re-resolves to a private address in between is not followed). Redirects are not
 * followed (a 3xx is a failure); the whole exchange has `timeoutMs`; at most 4 KB of the
 * answer is kept.
 */
export async function postWebhook(params: {
  url: string;
  msgId: string;
  body: string;
  secrets: readonly string[];
  network: WebhookNetwork;
}): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(params.url);
  let vetted: ResolvedAddress;
  try {
    vetted = await vetAddress(url, params.network);
  } catch (error) {
    return { ok: false, statusCode: null, latencyMs: elapsed(), response: null, error: (error as Error).message };
  }
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options?.all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, [vetted]);
    else callback(null, vetted.address, vetted.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ ...result, latencyMs: elapsed() });
    };
    const request = client.request(
      url,
      {
        method: "POST",
        lookup: pinned,
        headers: {
          "content-type": "application/json",
          "user-agent": "Tandem-Webhooks/1",
          ...signatureHeaders(params.msgId, params.body, params.secrets),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const done = () => {
          const statusCode = response.statusCode ?? null;
          const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
          const text = Buffer.concat(chunks).toString("utf8");
          finish({ ok, statusCode, response: text, error: ok ? null : `HTTP ${statusCode}` });
        };
        response.on("data", (chunk: Buffer) => {
          if (kept >= MAX_RESPONSE_BYTES) return;
          const part = chunk.subarray(0, MAX_RESPONSE_BYTES - kept);
          chunks.push(part);
          kept += part.length;
          // Enough kept: stop reading a large answer rather than download it.
          if (kept >= MAX_RESPONSE_BYTES) {
            done();
            response.destroy();
          }
        });
        response.on("end", done);
        response.on("error", (error) => finish({ ok: false, statusCode: null, response: null, error: error.message }));
      },
    );
    const deadline = setTimeout(() => {
      request.destroy();
      finish({ ok: false, statusCode: null, response: null, error: `timed out after ${params.network.timeoutMs} ms` });
    }, params.network.timeoutMs);
    request.on("error", (error) => finish({ ok: false, statusCode: null, response: null, error: error.message }));
    request.end(params.body);
  });
}
