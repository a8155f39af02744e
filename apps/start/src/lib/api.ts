import { createApiClient } from "@tandem/backend/client";
import type { TErrorBody, TTask } from "@tandem/contracts";

/** An API failure in the common error shape, with the current task on a 409. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The task as the server has it now, on a 409 for a stale edit. */
    readonly current?: TTask,
  ) {
    super(message);
  }
}

let wsClientId: string | null = null;
/** Requests from a tab with a live socket name it, so the hub does not echo our own changes. */
export function setWsClientId(id: string | null) {
  wsClientId = id;
}

type SeqListener = (orgId: string, seq: number) => void;
let seqListener: SeqListener | null = null;
/** Told the `X-Event-Seq` of every org mutation this tab makes: the live socket's cursor. */
export function onEventSeq(listener: SeqListener | null) {
  seqListener = listener;
}

const ORG_PATH = /^\/api\/orgs\/([^/]+)\//;
async function fetchNotingSeq(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const seq = response.headers.get("x-event-seq");
  if (seq && seqListener) {
    const url = input instanceof Request ? input.url : String(input);
    const orgId = ORG_PATH.exec(new URL(url).pathname)?.[1];
    if (orgId) seqListener(decodeURIComponent(orgId), Number(seq));
  }
  return response;
}

/**
 * A JSON request to the API outside the typed client (routes added after the client's types
 * were generated): same credentials, socket id and seq bookkeeping as the typed client.
 */
export async function requestJson<T>(apiUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = wsClientId ? { "x-ws-client-id": wsClientId } : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetchNotingSeq(`${apiUrl}${path}`, {
    method,
    credentials: "include",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return unwrap(Promise.resolve(response)) as Promise<T>;
}

export function makeApi(apiUrl: string) {
  return createApiClient(apiUrl, {
    init: { credentials: "include" },
    fetch: fetchNotingSeq,
    headers: (): Record<string, string> => (wsClientId ? { "x-ws-client-id": wsClientId } : {}),
  });
}
export type Api = ReturnType<typeof makeApi>;

const clients = new Map<string, Api>();
/** One client per API URL, shared by the React tree and the route loaders. */
export function apiFor(apiUrl: string): Api {
  let api = clients.get(apiUrl);
  if (!api) {
    api = makeApi(apiUrl);
    clients.set(apiUrl, api);
  }
  return api;
}

/** A 409's `current` is the task whenever the conflict was about one (the document says so). */
function isTask(value: unknown): value is TTask {
  return (
    typeof value === "object" &&
    value !== null &&
    "id" in value &&
    typeof value.id === "string" &&
    "version" in value &&
    typeof value.version === "number"
  );
}

type AnyResponse = { ok: boolean; status: number; json(): Promise<unknown> };
/** The success body type of a typed client response (bodiless variants, like a 304, drop out). */
type JsonOf<R> = R extends { json(): Promise<infer J> } ? (unknown extends J ? never : J) : never;

/** Unwraps a typed client response: the JSON on success, an ApiFailure otherwise. */
export async function unwrap<R extends AnyResponse>(pending: Promise<R>): Promise<JsonOf<R>> {
  const response = await pending;
  if (response.ok) return (await response.json()) as JsonOf<R>;
  const body = (await response.json().catch(() => null)) as (Partial<TErrorBody> & { current?: unknown }) | null;
  throw new ApiFailure(
    response.status,
    body?.error?.code ?? "HTTP_ERROR",
    body?.error?.message ?? `Request failed (${response.status})`,
    isTask(body?.current) ? body.current : undefined,
  );
}
