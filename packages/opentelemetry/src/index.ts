import { type Attributes, SpanStatusCode, trace } from "@opentelemetry/api";

const tracer = trace.getTracer("tandem");

/**
 * Runs `fn` inside an active span named `name`. Errors are recorded on the span and
 * rethrown; the span always ends. Without a registered SDK this is a no-op tracer.
 */
export function traced<T>(name: string, fn: () => Promise<T>, attributes?: Attributes): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

export function currentTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}
export { injectTraceContext, startTelemetry, withTraceContext } from "./setup.ts";
