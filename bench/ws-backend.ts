/** The WebSocket benchmark's backend, fixture, event message and child processes. */
import { composeBackend } from "@tandem/backend/compose";
import { connect, type DbHandle } from "@tandem/database";
import { createTestOrg, createTestTask } from "@tandem/domain/testing";
import { createLogger } from "@tandem/util/server";
import { cleanups, signUpBenchUser } from "./lifecycle.ts";
import type { AppenderCommand, AppenderConfig, AppenderReport } from "./ws-appender.ts";
import { envelope } from "./ws-bare.ts";
import {
  APPENDER_SCRIPT,
  type Appender,
  E2E_TASKS,
  int,
  MEMORY_ROOMS,
  MESSAGE_BYTES,
  ms,
  PATCHER_SCRIPT,
  type Patcher,
  SECRET,
  SUBSCRIBER_SCRIPT,
  type Subscribers,
  WEB_ORIGIN,
} from "./ws-config.ts";
import {
  benchTitle,
  Child,
  now,
  type PatcherCommand,
  type PatcherConfig,
  type PatcherReport,
  type SubscriberCommand,
  type SubscriberConfig,
  type SubscriberReport,
} from "./ws-protocol.ts";

export type Backend = {
  url: string;
  wsUrl: string;
  handle: DbHandle;
  auth: ReturnType<typeof composeBackend>["auth"];
  hub: ReturnType<typeof composeBackend>["hub"];
};

/** The real backend in-process, wired like apps/backend/src/server.ts; warnings and errors only. */
export async function startBackend(databaseUrl: string): Promise<Backend> {
  const handle = connect(databaseUrl, { applicationName: "tandem-bench-ws" });
  const backend = composeBackend({
    handle,
    databaseUrl,
    secret: SECRET,
    baseURL: "http://localhost:5468",
    webOrigins: [WEB_ORIGIN],
    logger: createLogger({ service: "bench" }, "warn"),
  });
  const running = await backend.serve({ port: 0, hostname: "127.0.0.1" });
  cleanups.push(() => handle.close());
  cleanups.push(() => running.stop());
  return {
    url: running.url,
    wsUrl: `${running.url.replace(/^http/, "ws")}/ws`,
    handle,
    auth: backend.auth,
    hub: backend.hub,
  };
}

export type Fixture = {
  cookie: string;
  orgId: string;
  /** The database-path limit's org: its events go to the relay, and no hub socket is in its room. */
  limitOrgId: string;
  tasks: { id: string; version: number }[];
  memoryOrgIds: string[];
};

/** One user: the room every subject uses, its tasks for the PATCHes, and the memory subject's rooms. */
export async function seed(backend: Backend): Promise<Fixture> {
  const { cookie, userId } = await signUpBenchUser(backend.auth, `bench-${Date.now()}@example.test`);
  const { db } = backend.handle;
  const ownerId = userId;
  const org = await createTestOrg(db, { ownerId, name: "Bench room" });
  const tasks: Fixture["tasks"] = [];
  for (let i = 0; i < E2E_TASKS; i += 1) {
    const task = await createTestTask(db, org.id, { title: `PATCH target ${i}` });
    tasks.push({ id: task.id, version: task.version });
  }
  const limitOrg = await createTestOrg(db, { ownerId, name: "Bench limit room", prefix: "LIM" });
  const memoryOrgIds: string[] = [];
  for (let i = 0; i < MEMORY_ROOMS; i += 1) {
    memoryOrgIds.push((await createTestOrg(db, { ownerId, name: `Bench idle ${i}`, prefix: "ID" })).id);
  }
  return { cookie, orgId: org.id, limitOrgId: limitOrg.id, tasks, memoryOrgIds };
}

/**
 * The event the burst and paced runs append straight to the log. The catalogue types every
 * payload, and a whole task is bigger than MESSAGE_BYTES: a member event carries the
 * publish-time title in 300 B, and the hub routes every members event the same way.
 */
export const BENCH_EVENT = "UPDATE_MEMBER";
export function payload(publishedAt: number, seq: number, padTo: number): { userIds: string[] } {
  return { userIds: [benchTitle(publishedAt, seq, padTo)] };
}

/** The title length that makes the delivered envelope MESSAGE_BYTES long (seq and timestamps vary a digit). */
export function titleLength(orgId: string): number {
  const sample = envelope(BENCH_EVENT, payload(now(), 0, 0), orgId, 10_000);
  return MESSAGE_BYTES - (sample.length - benchTitle(now(), 0).length);
}

/** Connect + subscribe rates of every subscriber process started, for the goals table. */
export const connectRates: { name: string; sockets: number; perSecond: number }[] = [];

export async function startSubscribers(
  name: string,
  url: string,
  sockets: number,
  orgIds: string[] | null,
  cookie: string,
): Promise<Subscribers> {
  const config: SubscriberConfig = {
    url,
    headers: orgIds ? { origin: WEB_ORIGIN, cookie } : {},
    sockets,
    orgIds,
    connectConcurrency: 64,
  };
  const child = Child.spawn<SubscriberReport, SubscriberCommand>(name, SUBSCRIBER_SCRIPT, config);
  cleanups.push(() => child.stop({ cmd: "exit" }));
  const ready = await child.next("ready", 180_000);
  if (ready.failed > 0) throw new Error(`${name}: ${ready.failed} sockets failed, first: ${ready.firstFailure}`);
  const rate = ready.sockets / (ready.connectMs / 1000);
  connectRates.push({ name, sockets: ready.sockets, perSecond: rate });
  console.log(
    `  ${name}: ${int.format(ready.sockets)} sockets connected and subscribed in ${ms(ready.connectMs)}` +
      ` (${int.format(rate)}/s, pid ${child.pid})`,
  );
  return child;
}

export function startAppender(databaseUrl: string, padTo: number): Appender {
  const config: AppenderConfig = { databaseUrl, padTo, eventType: BENCH_EVENT };
  const appender = Child.spawn<AppenderReport, AppenderCommand>("appender", APPENDER_SCRIPT, config);
  cleanups.push(() => appender.stop({ cmd: "exit" }));
  return appender;
}

export async function startPatcher(backend: Backend, fixture: Fixture): Promise<Patcher> {
  const config: PatcherConfig = {
    url: backend.url,
    orgId: fixture.orgId,
    cookie: fixture.cookie,
    origin: WEB_ORIGIN,
    tasks: fixture.tasks,
  };
  const patcher = Child.spawn<PatcherReport, PatcherCommand>("patcher", PATCHER_SCRIPT, config);
  cleanups.push(() => patcher.stop({ cmd: "exit" }));
  return patcher;
}
