/**
 * Checks live responses against the served OpenAPI document with ajv: the status must be
 * documented for the operation, and a JSON body must match that response's schema. Every
 * (operation, status) seen is recorded, so a test can ask which documented ones it never saw.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Json = Record<string, unknown>;
type Operation = { method: string; template: string; pattern: RegExp; params: number; responses: Json };

const METHODS = ["get", "put", "post", "patch", "delete"];

export class DocumentCheck {
  readonly failures: string[] = [];
  private readonly seen = new Set<string>();
  private readonly operations: Operation[] = [];
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ReturnType<Ajv2020["compile"]>>();

  constructor(private readonly spec: Json) {
    addFormats.default(this.ajv);
    // Response schemas point into the document (`#/components/...`): make those refs absolute.
    this.ajv.addSchema({ $id: "openapi", components: this.absolute((spec.components as Json) ?? {}) });
    for (const [template, item] of Object.entries(spec.paths as Record<string, Json>)) {
      for (const method of METHODS) {
        const operation = item[method] as Json | undefined;
        if (!operation) continue;
        const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
        this.operations.push({
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${source}$`),
          params: (template.match(/\{/g) ?? []).length,
          responses: operation.responses as Json,
        });
      }
    }
    // A literal segment wins over a parameter (`/tasks/{taskId}` vs. a longer literal path).
    this.operations.sort((a, b) => a.params - b.params);
  }

  private absolute<T>(value: T): T {
    return JSON.parse(JSON.stringify(value).replaceAll('"#/components/', '"openapi#/components/')) as T;
  }

  private resolve(response: Json): Json {
    const ref = response.$ref;
    if (typeof ref !== "string") return response;
    const name = ref.split("/").at(-1) ?? "";
    return ((this.spec.components as Json).responses as Record<string, Json>)[name] ?? {};
  }

  /** Every documented (operation, status) pair. */
  documented(): string[] {
    return this.operations.flatMap((op) =>
      Object.keys(op.responses).map((status) => `${op.method} ${op.template} ${status}`),
    );
  }

  /** Documented pairs no checked response has shown. */
  unseen(): string[] {
    return this.documented().filter((key) => !this.seen.has(key));
  }

  operationFor(method: string, path: string): Operation | undefined {
    return this.operations.find((op) => op.method === method && op.pattern.test(path));
  }

  /** Checks one live response (its body read as text) against the document. */
  check(method: string, url: string, status: number, contentType: string | null, text: string, note = ""): void {
    const path = new URL(url, "http://x").pathname;
    const label = `${method} ${path} → ${status}${note ? ` (${note})` : ""}`;
    const op = this.operationFor(method, path);
    if (!op) {
      this.failures.push(`${label}: no documented operation`);
      return;
    }
    const documented = op.responses[String(status)] as Json | undefined;
    if (!documented) {
      this.failures.push(`${label}: status not documented for ${op.method} ${op.template}: ${text.slice(0, 200)}`);
      return;
    }
    this.seen.add(`${op.method} ${op.template} ${status}`);
    const content = this.resolve(documented).content as Record<string, Json> | undefined;
    const schema = content?.["application/json"]?.schema as Json | undefined;
    if (!content) {
      if (text.length > 0) this.failures.push(`${label}: documented without a body, got ${text.slice(0, 100)}`);
      return;
    }
    if (!schema) {
      if (contentType?.includes("application/json"))
        this.failures.push(`${label}: JSON answered where ${Object.keys(content).join(", ")} is documented`);
      return;
    }
    if (!contentType?.includes("application/json")) {
      this.failures.push(`${label}: expected JSON, got ${contentType}`);
      return;
    }
    const key = `${op.method} ${op.template} ${status}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(this.absolute(schema));
      this.validators.set(key, validate);
    }
    if (!validate(JSON.parse(text))) {
      this.failures.push(`${label}: ${this.ajv.errorsText(validate.errors)} in ${text.slice(0, 300)}`);
    }
  }

  /** Fetches, checks, and hands back the response (body already read) for further use. */
  async fetch(url: string, init: RequestInit & { method: string }, note?: string) {
    const response = await fetch(url, { redirect: "manual", ...init });
    const text = await response.text();
    this.check(init.method, url, response.status, response.headers.get("content-type"), text, note);
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    return { status: response.status, headers: response.headers, body: body as any, text };
  }
}
