import { expect, test } from "bun:test";
import { Webhook } from "standardwebhooks";
import { retryDelayMs } from "../src/webhooks/deliveries.ts";
import { isPublicAddress, signatureHeaders, vetAddress } from "../src/webhooks/network.ts";

test("only public unicast addresses pass the SSRF rule", () => {
  const refused = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "fe80::1",
    "fd00:ec2::254",
    "fc00::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "2002:7f00:1::1",
    "2001::1",
    "not an address",
  ];
  for (const address of refused) expect(`${address} ${isPublicAddress(address)}`).toBe(`${address} false`);
  for (const address of ["8.8.8.8", "93.184.216.34", "2606:4700::1111"]) expect(isPublicAddress(address)).toBe(true);
});

test("a name is refused when any of its addresses is private, unless private networks are allowed", async () => {
  const resolve = async () => [
    { address: "93.184.216.34", family: 4 as const },
    { address: "10.0.0.7", family: 4 as const },
  ];
  const url = new URL("https://two-faced.test/hook");
  await expect(vetAddress(url, { allowPrivateNetworks: false, resolve, timeoutMs: 1000 })).rejects.toThrow(
    "The URL's host resolves to a private or reserved address",
  );
  expect(await vetAddress(url, { allowPrivateNetworks: true, resolve, timeoutMs: 1000 })).toEqual({
    address: "93.184.216.34",
    family: 4,
  });
});

test("retries back off by four from the base, capped at six hours", () => {
  expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 30_000))).toEqual([30_000, 120_000, 480_000, 1_920_000]);
  expect(retryDelayMs(20, 30_000)).toBe(6 * 3600_000);
});

test("each secret signs: both verify during a rotation's grace", () => {
  const secrets = ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_dGhpcy1pcy1hLXNlY29uZC1zZWNyZXQ="];
  const body = '{"type":"PING"}';
  const headers = signatureHeaders("msg_1", body, secrets);
  expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
  for (const secret of secrets) expect(new Webhook(secret).verify(body, headers)).toEqual({ type: "PING" });
});
