import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Client } from "minio";

/** Where files live: one interface over local disk and S3/MinIO. */
export type Storage = {
  kind: "local" | "s3";
  put(key: string, data: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array<ArrayBuffer> | null>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** A short-lived URL a browser can fetch without a session. */
  signedUrl(key: string, expiresSeconds: number): Promise<string>;
  ping(): Promise<boolean>;
};

export type StorageConfig = {
  /** S3/MinIO endpoint (http(s)://host:port); unset: local disk. */
  url?: string | undefined;
  accessKey?: string | undefined;
  secretKey?: string | undefined;
  bucket?: string | undefined;
  /** Local backend: the directory files go to. */
  localDir: string;
  /** Local backend: signs download URLs served by the API at `${publicBaseUrl}/api/files/signed`. */
  signingSecret: string;
  publicBaseUrl: string;
};

const safeKey = (key: string) => {
  if (!/^[A-Za-z0-9/_.-]+$/.test(key) || key.includes("..")) throw new Error(`unsafe storage key ${key}`);
  return key;
};

export function signDownload(secret: string, key: string, expires: number): string {
  return createHmac("sha256", secret).update(`${key}\n${expires}`).digest("base64url");
}

/** Checks a local signed download: right signature (constant time) and not expired. */
export function verifyDownload(secret: string, key: string, expires: number, signature: string): boolean {
  if (!Number.isFinite(expires) || expires * 1000 < Date.now()) return false;
  const expected = Buffer.from(signDownload(secret, key, expires));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function localStorage(config: StorageConfig): Storage {
  const root = resolve(config.localDir);
  const path = (key: string) => join(root, safeKey(key));
  return {
    kind: "local",
    async put(key, data) {
      await mkdir(dirname(path(key)), { recursive: true });
      await writeFile(path(key), data);
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(path(key)));
      } catch {
        return null;
      }
    },
    async exists(key) {
      return stat(path(key)).then(
        () => true,
        () => false,
      );
    },
    async delete(key) {
      await rm(path(key), { force: true });
    },
    async signedUrl(key, expiresSeconds) {
      const expires = Math.floor(Date.now() / 1000) + expiresSeconds;
      const query = new URLSearchParams({
        key,
        expires: String(expires),
        sig: signDownload(config.signingSecret, key, expires),
      });
      return `${config.publicBaseUrl}/api/files/signed?${query}`;
    },
    async ping() {
      await mkdir(root, { recursive: true });
      return true;
    },
  };
}

function s3Storage(config: StorageConfig & { url: string }): Storage {
  const endpoint = new URL(config.url);
  const client = new Client({
    endPoint: endpoint.hostname,
    port: Number(endpoint.port || (endpoint.protocol === "https:" ? 443 : 80)),
    useSSL: endpoint.protocol === "https:",
    accessKey: config.accessKey ?? "",
    secretKey: config.secretKey ?? "",
    pathStyle: true,
    region: "us-east-1",
  });
  const bucket = config.bucket ?? "tandem";
  let ready: Promise<void> | null = null;
  const ensureBucket = () => {
    ready ??= (async () => {
      if (!(await client.bucketExists(bucket))) await client.makeBucket(bucket);
    })();
    return ready;
  };
  return {
    kind: "s3",
    async put(key, data, contentType) {
      await ensureBucket();
      await client.putObject(bucket, safeKey(key), Buffer.from(data), data.byteLength, { "Content-Type": contentType });
    },
    async get(key) {
      await ensureBucket();
      try {
        const stream = await client.getObject(bucket, safeKey(key));
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        return new Uint8Array(Buffer.concat(chunks));
      } catch (error) {
        if ((error as { code?: string }).code === "NoSuchKey") return null;
        throw error;
      }
    },
    async exists(key) {
      await ensureBucket();
      return client.statObject(bucket, safeKey(key)).then(
        () => true,
        () => false,
      );
    },
    async delete(key) {
      await ensureBucket();
      await client.removeObject(bucket, safeKey(key));
    },
    async signedUrl(key, expiresSeconds) {
      await ensureBucket();
      return client.presignedGetObject(bucket, safeKey(key), expiresSeconds);
    },
    async ping() {
      try {
        await ensureBucket();
        return true;
      } catch {
        ready = null;
        return false;
      }
    },
  };
}

export function createStorage(config: StorageConfig): Storage {
  return config.url ? s3Storage({ ...config, url: config.url }) : localStorage(config);
}
