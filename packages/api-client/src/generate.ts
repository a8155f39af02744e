import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));

/**
 * TypeScript types for an OpenAPI document, as openapi-typescript writes them for
 * openapi-fetch; binary bodies (uploads, downloads) are `Blob`. openapi-typescript needs
 * TypeScript 5's compiler API, which this package pins (the repo compiles with TypeScript 7).
 */
export async function generateTypes(document: Parameters<typeof openapiTS>[0]): Promise<string> {
  const ast = await openapiTS(document, {
    transform: (schema) => (schema.format === "binary" ? BLOB : undefined),
  });
  return astToString(ast);
}
