/**
 * What the OpenAPI test needs around the backend: a TCP proxy in front of Postgres that can
 * be cut (a real outage for one backend only), and GitHub answering as the App would.
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";

export type TcpProxy = {
  url: string;
  cut: () => Promise<void>;
  restore: () => Promise<void>;
  stop: () => Promise<void>;
};

/** Forwards 127.0.0.1:<port> to the database in `databaseUrl`; `cut` drops every connection and refuses new ones. */
export async function startDatabaseProxy(databaseUrl: string): Promise<TcpProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = netConnect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  await listen(0);
  const port = (server.address() as { port: number }).port;
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    cut: async () => {
      const closed = close();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    restore: () => listen(port),
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await close();
    },
  };
}

/**
 * `GET /app/installations/:id` as GitHub answers an App's JWT-signed request (the JWT is not
 * checked), and `GET /user/installations` for a user token (not checked either).
 */
export function startGithubAppStandIn() {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const seen = new Set<number>();
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      const path = new URL(request.url).pathname;
      // The signed-in user's installations: every one the App was asked about (one page).
      if (path === "/user/installations") {
        const installations = [...seen].map((id) => ({
          id,
          account: { login: "octo-org", id: 1, type: "Organization" },
        }));
        return Response.json({ total_count: installations.length, installations });
      }
      const id = /^\/app\/installations\/(\d+)$/.exec(path)?.[1];
      if (!id) return Response.json({ message: "Not Found" }, { status: 404 });
      seen.add(Number(id));
      return Response.json({ id: Number(id), account: { login: "octo-org", id: 1, type: "Organization" } });
    },
  });
  return {
    apiUrl: `http://127.0.0.1:${server.port}`,
    app: { appId: "1", privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString() },
    stop: () => server.stop(true),
  };
}
