/** The board benchmark's browser side: Playwright from apps/start, a signed-in context, one measured navigation. */
// Debian's Chromium with the e2e tests' flags; never a downloaded browser.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../apps/start/chromium.ts";
import { type Board, PASSWORD, STEP_TIMEOUT_MS, WEB_URL } from "./board-config.ts";
import { cleanups } from "./lifecycle.ts";
import { START_DIR } from "./web-app.ts";

// The slice of Playwright's API used here. Playwright is a dependency of apps/start, not of the
// root, so it is loaded from there at run time (loadPlaywright) and bench/ cannot import its
// types by name; a relative path into apps/start/node_modules does not typecheck either, since
// its own `playwright/test` import only resolves from bun's real package folder.
type Locator = {
  first(): Locator;
  fill(value: string): Promise<void>;
  click(options?: { trial?: boolean }): Promise<void>;
  waitFor(options: { state: "visible" }): Promise<void>;
  count(): Promise<number>;
};
type Request = { url(): string; sizes(): Promise<{ responseBodySize: number; responseHeadersSize: number }> };
type Page = {
  on(event: "requestfinished", listener: (request: Request) => void): void;
  goto(url: string, options?: { waitUntil?: "commit" | "load" }): Promise<unknown>;
  waitForURL(predicate: (url: URL) => boolean): Promise<void>;
  getByLabel(text: string): Locator;
  getByRole(role: "button", options: { name: string }): Locator;
  getByTestId(testId: string): Locator;
  locator(selector: string): Locator;
  close(): Promise<void>;
};
type CDPSession = {
  send(method: "Performance.getMetrics"): Promise<{ metrics: { name: string; value: number }[] }>;
  send(method: "Performance.enable" | "HeapProfiler.collectGarbage"): Promise<unknown>;
  detach(): Promise<void>;
};
export type StorageState = { cookies: unknown[]; origins: unknown[] };
type BrowserContext = {
  setDefaultTimeout(ms: number): void;
  storageState(): Promise<StorageState>;
  close(): Promise<void>;
  newPage(): Promise<Page>;
  newCDPSession(page: Page): Promise<CDPSession>;
};
export type Browser = {
  newContext(options: {
    viewport: { width: number; height: number };
    storageState?: StorageState;
  }): Promise<BrowserContext>;
  close(): Promise<void>;
};
export type Playwright = {
  chromium: { launch(options: { executablePath: string; args: string[] }): Promise<Browser> };
};

export async function loadPlaywright(): Promise<Playwright> {
  // From apps/start, where it is installed; checked against the types above only by use.
  return (await import(Bun.resolveSync("@playwright/test", START_DIR))) as Playwright;
}

// The e2e tests' viewport: how many cards are visible (and rendered) depends on it.
const VIEWPORT = { width: 1400, height: 900 };

/** Signs in through the UI once; the session (cookies) is what every cold context starts with. */
export async function signIn(
  playwright: Playwright,
  email: string,
): Promise<{ browser: Browser; session: StorageState }> {
  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: VIEWPORT });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  await page.goto(`${WEB_URL}/login`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  const session = await context.storageState();
  await context.close();
  return { browser, session };
}

export type Sample = {
  columnMs: number;
  cardMs: number;
  interactiveMs: number;
  clickToDialogMs: number;
  heapRawBytes: number;
  heapBytes: number;
  nodes: number;
  cardsInDom: number;
  /** Bytes on the wire (compressed bodies + headers) of every request finished by "interactive". */
  transferBytes: number;
  /** Of which the board's snapshot pages (`/api/orgs/<id>/tasks`). */
  snapshotTransferBytes: number;
  requests: number;
};

async function metrics(page: Page, context: BrowserContext): Promise<Map<string, number>> {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  const { metrics: list } = await cdp.send("Performance.getMetrics");
  await cdp.detach();
  return new Map(list.map((metric) => [metric.name, metric.value]));
}

function metric(values: Map<string, number>, name: string): number {
  const value = values.get(name);
  if (value === undefined) throw new Error(`CDP metric ${name} missing`);
  return value;
}

/**
 * One cold navigation: a new browser context (empty HTTP cache, only the session cookie), a
 * fresh page, the board. Transfer sizes are what Chromium received, i.e. compressed when the
 * server compressed.
 */
export async function measure(browser: Browser, session: StorageState, board: Board): Promise<Sample> {
  const context = await browser.newContext({ viewport: VIEWPORT, storageState: session });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  const finished: Promise<{ url: string; bytes: number }>[] = [];
  page.on("requestfinished", (request) => {
    finished.push(
      request.sizes().then(
        (sizes) => ({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize }),
        () => ({ url: request.url(), bytes: 0 }),
      ),
    );
  });
  try {
    const card = page.getByTestId("task-card").first();
    const t0 = Date.now();
    // "commit": the waits below, not the load event, decide when the board is there.
    await page.goto(`${WEB_URL}/o/${board.slug}`, { waitUntil: "commit" });
    await page.getByTestId("column-todo").waitFor({ state: "visible" });
    const columnMs = Date.now() - t0;
    await card.waitFor({ state: "visible" });
    const cardMs = Date.now() - t0;
    // A trial click runs every actionability check of a real click without clicking.
    await card.click({ trial: true });
    const interactiveMs = Date.now() - t0;
    const transfers = await Promise.all(finished.slice());
    const snapshotPath = `/api/orgs/${board.id}/tasks`;

    // Taken before the click so the figures are the board's, not the dialog's.
    const raw = await metrics(page, context);
    const cdp = await context.newCDPSession(page);
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.detach();
    const collected = await metrics(page, context);
    const cardsInDom = await page.locator('[data-testid="task-card"]').count();

    const c0 = Date.now();
    await card.click();
    await page.getByTestId("task-dialog").waitFor({ state: "visible" });
    const clickToDialogMs = Date.now() - c0;
    return {
      columnMs,
      cardMs,
      interactiveMs,
      clickToDialogMs,
      heapRawBytes: metric(raw, "JSHeapUsedSize"),
      heapBytes: metric(collected, "JSHeapUsedSize"),
      nodes: metric(collected, "Nodes"),
      cardsInDom,
      transferBytes: transfers.reduce((sum, t) => sum + t.bytes, 0),
      snapshotTransferBytes: transfers
        .filter((t) => new URL(t.url).pathname === snapshotPath)
        .reduce((sum, t) => sum + t.bytes, 0),
      requests: transfers.length,
    };
  } finally {
    await page.close();
    await context.close();
  }
}
