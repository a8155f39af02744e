import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

/**
 * Registers tracing for a process: with an OTLP/HTTP endpoint, spans are batched and exported
 * to `${endpoint}/v1/traces`; without one nothing is registered and every span is a no-op.
 * Returns the shutdown that flushes what is pending.
 */
export function startTelemetry(options: { serviceName: string; endpoint: string | undefined }): () => Promise<void> {
  if (!options.endpoint) return async () => {};
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/$/, "")}/v1/traces` });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 500 })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return () => provider.shutdown();
}

/** The current trace context as W3C headers, to carry into a queued job. */
export function injectTraceContext(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** Runs `fn` as a continuation of the trace in `carrier` (a job picking up its request's trace). */
export function withTraceContext<T>(carrier: Record<string, string> | undefined, fn: () => Promise<T>): Promise<T> {
  if (!carrier) return fn();
  return context.with(propagation.extract(context.active(), carrier), fn);
}
