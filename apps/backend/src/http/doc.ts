import type { StandardSchemaV1 } from "@standard-schema/spec";
import { describeRoute, resolver } from "hono-openapi";

/** OpenAPI description of one route: its tag, a summary and the success body's schema. */
export function doc(tag: string, summary: string, response?: StandardSchemaV1, status = 200) {
  return describeRoute({
    tags: [tag],
    summary,
    responses: {
      [status]: {
        description: "Success",
        ...(response ? { content: { "application/json": { schema: resolver(response) } } } : {}),
      },
    },
  });
}
