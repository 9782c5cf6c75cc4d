// The OpenAPI document is a contract with every generated client: any change to it must be
// deliberate. It is compared, operation by operation, with the committed copy in
// `fixtures/openapi.json`; after an intended change, rewrite that copy with
// `UPDATE_OPENAPI=1 npx vitest run --project api:sqlite test/openapi-document.test.ts` and review its diff.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../src/rest/openapi";

type Document = {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
  [key: string]: unknown;
};

const fixture = join(import.meta.dirname, "fixtures", "openapi.json");
const current = JSON.parse(JSON.stringify(openApiDocument())) as Document;

if (process.env.UPDATE_OPENAPI === "1") writeFileSync(fixture, `${JSON.stringify(current, null, 2)}\n`);

describe("the OpenAPI document", () => {
  const committed = (existsSync(fixture) ? JSON.parse(readFileSync(fixture, "utf8")) : null) as Document | null;

  it("has a committed copy to compare with", () => {
    expect(committed, `missing ${fixture}`).not.toBeNull();
  });

  const operations = (document: Document) =>
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );

  it("has the same operations", () => {
    expect(operations(current).sort()).toEqual(operations(committed!).sort());
  });

  it.each(operations(committed ?? { paths: {}, components: { schemas: {} } }))("%s is unchanged", (operation) => {
    const [method, path] = operation.split(" ") as [string, string];
    expect(current.paths[path]?.[method.toLowerCase()]).toEqual(committed!.paths[path]![method.toLowerCase()]);
  });

  it("has the same component schemas", () => {
    expect(Object.keys(current.components.schemas).sort()).toEqual(Object.keys(committed!.components.schemas).sort());
    for (const [id, schema] of Object.entries(committed!.components.schemas)) {
      expect(current.components.schemas[id], id).toEqual(schema);
    }
  });

  it("has the same document-level fields", () => {
    const { paths: _paths, components: _components, ...rest } = current;
    const { paths: _p, components: _c, ...committedRest } = committed!;
    expect(rest).toEqual(committedRest);
    expect({ ...current.components, schemas: null }).toEqual({ ...committed!.components, schemas: null });
  });
});
