/** A loopback OTLP/HTTP collector for tests: records the spans exporters send as JSON. */
export type CollectedSpan = { name: string; traceId: string; spanId: string; parentSpanId?: string; service?: string };

type OtlpBody = {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: { spans?: { name: string; traceId: string; spanId: string; parentSpanId?: string }[] }[];
  }[];
};

export function startCollector() {
  const spans: CollectedSpan[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      if (request.method !== "POST" || new URL(request.url).pathname !== "/v1/traces")
        return new Response(null, { status: 404 });
      const body = (await request.json()) as OtlpBody;
      for (const resource of body.resourceSpans ?? []) {
        const service = resource.resource?.attributes?.find((a) => a.key === "service.name")?.value.stringValue;
        for (const scope of resource.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({
              name: span.name,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              service,
            });
          }
        }
      }
      return Response.json({});
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    spans,
    /** Resolves with the first span named `name` (from spans received so far or later). */
    async waitFor(name: string, timeoutMs = 15_000): Promise<CollectedSpan> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = spans.find((span) => span.name === name);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no span ${name}; got ${spans.map((s) => s.name).join(", ")}`);
        await Bun.sleep(50);
      }
    },
    stop: () => server.stop(true),
  };
}
