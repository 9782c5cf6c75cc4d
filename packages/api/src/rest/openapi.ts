// The OpenAPI 3.1 document of the REST facade, generated from the route table and from the zod
// schemas the procedures themselves validate with (their inputs and outputs): nothing is kept by hand.
import { z } from "zod";
import { appRouter } from "../root";
import { routerProcedures } from "../vendor/trpc-router";
import { pathParameters, REST_PREFIX, restRoutes, tags, type RestRoute } from "./routes";

type JsonSchema = { [key: string]: unknown };

const schemas = new Map(
  routerProcedures(appRouter).map(({ path, input, output }) => [
    path,
    { input: input as z.ZodType | undefined, output: output as z.ZodType | undefined },
  ]),
);

function procedureSchemas(path: string) {
  const found = schemas.get(path);
  if (!found) throw new Error(`no procedure ${path}`);
  return found;
}

/** Dates travel as ISO 8601 strings in JSON. */
const jsonSchemaOptions = {
  unrepresentable: "any",
  override: ({ zodSchema, jsonSchema }) => {
    if (zodSchema._zod.def.type === "date") {
      jsonSchema.type = "string";
      jsonSchema.format = "date-time";
    }
  },
} satisfies Parameters<typeof z.toJSONSchema>[1];

/** A procedure's input schema as JSON Schema, unwrapped from `.optional()`. */
function inputSchema(procedure: string): z.ZodType | null {
  const input = procedureSchemas(procedure).input;
  if (!input) return null;
  return input instanceof z.ZodOptional ? (input.unwrap() as z.ZodType) : input;
}

const inputProperties = (procedure: string): { properties: Record<string, JsonSchema>; required: string[] } => {
  const schema = inputSchema(procedure);
  if (!schema) return { properties: {}, required: [] };
  const json = z.toJSONSchema(schema, { ...jsonSchemaOptions, io: "input" }) as JsonSchema;
  return {
    properties: (json.properties as Record<string, JsonSchema> | undefined) ?? {},
    required: (json.required as string[] | undefined) ?? [],
  };
};

const typesOf = (schema: JsonSchema): unknown[] => [
  schema.type,
  ...((schema.anyOf as JsonSchema[] | undefined) ?? []).map((member) => member.type),
];

const coercionCache = new Map<string, Record<string, "number" | "boolean">>();

/** Which input keys of a procedure are numbers or booleans, so that query strings can be coerced to them. */
export function queryCoercions(procedure: string): Record<string, "number" | "boolean"> {
  let coercions = coercionCache.get(procedure);
  if (!coercions) {
    coercions = {};
    for (const [key, schema] of Object.entries(inputProperties(procedure).properties)) {
      const types = typesOf(schema);
      if (types.includes("integer") || types.includes("number")) coercions[key] = "number";
      else if (types.includes("boolean")) coercions[key] = "boolean";
    }
    coercionCache.set(procedure, coercions);
  }
  return coercions;
}

/** The body of every error answer (RFC 9457). */
export const problemSchema = z
  .object({
    type: z.string().describe("`about:blank`: the status code says what kind of problem it is"),
    title: z.string().describe("The status code's name"),
    status: z.number().int(),
    detail: z.string().describe("What went wrong, for a person to read"),
    code: z.string().optional().describe("The tRPC error code (e.g. `CONFLICT`), when a procedure answered"),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe("For 422 (and 409 on a unique field): each field and what is wrong with it"),
  })
  .meta({ id: "Problem" });

const ERROR_STATUS: Record<string, number> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
};

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Malformed request: the body is not JSON (or not UTF-8), or is sent with another content type",
  401: "No valid credential (see `WWW-Authenticate`), or failed sign-in",
  403: "The caller's role does not allow this",
  404: "No such resource",
  409: "Conflict: the email or username is taken, or the change would break an invariant",
  412: "A step this one depends on has not been done yet",
  413: "The body is too large (JSON: at most 1 MB)",
  415: "Unsupported media type",
  422: "The body, query or path failed validation: `errors` names each field",
  429: "Too many attempts: wait for `Retry-After` seconds",
};

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function errorStatuses(route: RestRoute): number[] {
  const statuses = new Set<number>();
  const jsonBody = route.input === "json" || route.input === "optional-json";
  if (jsonBody || route.input === "multipart") statuses.add(400);
  if (jsonBody) statuses.add(413);
  // Path parameters are input too: an id longer than 64 characters fails validation.
  if (route.input !== "binary" && (route.input !== "none" || pathParameters(route.path).length > 0)) statuses.add(422);
  if (route.access === "signed-in") statuses.add(401);
  if (route.path.includes("{id}")) statuses.add(404);
  for (const code of route.errors) statuses.add(ERROR_STATUS[code]!);
  return [...statuses].sort((a, b) => a - b);
}

function securityOf(route: RestRoute) {
  const credentials = [{ bearerAuth: [] }, { apiKeyAuth: [] }];
  if (route.access === "signed-in") return credentials;
  if (route.access === "optional") return [...credentials, {}];
  return [];
}

/**
 * The operations, registering each one's request body in `inputs` and its response (unless it is a
 * shared schema with an id of its own) in zod's global registry, where the shared outputs are.
 */
function buildPaths(inputs: z.core.$ZodRegistry<{ id: string }>): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of restRoutes) {
    const id = route.operationId;
    const parameters: unknown[] = pathParameters(route.path).map((name) => ({
      name,
      in: "path",
      required: true,
      schema: { type: "string", maxLength: 64 },
    }));
    let requestBody: unknown;
    if (route.input === "query") {
      const { properties, required } = inputProperties(route.procedure!);
      const restName = Object.fromEntries(Object.entries(route.rename ?? {}).map(([rest, key]) => [key, rest]));
      for (const [key, schema] of Object.entries(properties)) {
        const { description, ...rest } = schema;
        parameters.push({
          name: restName[key] ?? key,
          in: "query",
          required: required.includes(key) && !("default" in schema),
          schema: rest,
          ...(description ? { description } : {}),
        });
      }
      if (route.download) {
        parameters.push({
          name: route.download.parameter,
          in: "query",
          required: false,
          schema: { type: "string", enum: Object.keys(route.download.formats) },
          description: "Answer every matching entry as a file in this format, streamed, instead of a JSON page",
        });
      }
    } else if (route.input === "json" || route.input === "optional-json") {
      let body = inputSchema(route.procedure!)!;
      const omitted = pathParameters(route.path);
      if (omitted.length && body instanceof z.ZodObject) {
        body = body.omit(Object.fromEntries(omitted.map((name) => [name, true])) as never);
      }
      inputs.add(body, { id: `${id[0]!.toUpperCase()}${id.slice(1)}Request` });
      requestBody = {
        required: route.input === "json",
        content: { "application/json": { schema: ref(`${id[0]!.toUpperCase()}${id.slice(1)}Request`) } },
      };
    } else if (route.input === "multipart") {
      requestBody = {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              properties: { file: { type: "string", format: "binary", description: "PNG, JPEG, WebP or GIF, ≤ 2 MB" } },
              required: ["file"],
            },
          },
        },
      };
    }

    const responses: Record<string, unknown> = {};
    if (route.input === "binary") {
      responses["200"] = {
        description: "The image",
        headers: { ETag: { schema: { type: "string" } } },
        content: { "image/webp": { schema: { type: "string", format: "binary" } } },
      };
      responses["304"] = { description: "Not modified (`If-None-Match` names the current ETag)" };
    } else if (route.status === 204) {
      responses["204"] = { description: "Done" };
    } else {
      const output = procedureSchemas(route.procedure!).output;
      if (!output) throw new Error(`${route.procedure} declares no output schema`);
      const existing = z.globalRegistry.get(output)?.id;
      const outputId = existing ?? `${id[0]!.toUpperCase()}${id.slice(1)}Response`;
      if (!existing) z.globalRegistry.add(output, { id: outputId });
      const files = Object.fromEntries(
        Object.values(route.download?.formats ?? {}).map((type) => [type, { schema: { type: "string" } }]),
      );
      responses[String(route.status)] = {
        description: route.status === 201 ? "Created" : "OK",
        content: { "application/json": { schema: ref(outputId) }, ...files },
      };
    }
    for (const status of errorStatuses(route)) {
      responses[String(status)] = {
        description: ERROR_DESCRIPTIONS[status],
        ...(status === 429 ? { headers: { "Retry-After": { schema: { type: "integer" } } } } : {}),
        ...(status === 401 ? { headers: { "WWW-Authenticate": { schema: { type: "string" } } } } : {}),
        content: { "application/problem+json": { schema: ref("Problem") } },
      };
    }

    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: id,
      tags: [route.tag],
      summary: route.summary,
      description: `${route.description ? `${route.description}\n\n` : ""}Calls the tRPC procedure \`${route.procedure ?? "(none: served directly)"}\`.`,
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
      security: securityOf(route),
    };
  }
  return paths;
}

/** Strips what JSON Schema conversion adds per document (`$schema`, `$id`), keeping the schemas alone. */
function componentSchemas(registry: z.core.$ZodRegistry<{ id: string }>, io: "input" | "output") {
  const { schemas } = z.toJSONSchema(registry, {
    ...jsonSchemaOptions,
    io,
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}

/** The schemas the operations use, directly or through each other; zod's registry also holds outputs no route answers. */
function referenced(paths: unknown, schemas: Record<string, unknown>): Record<string, unknown> {
  const used = new Set<string>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      const id = key === "$ref" && typeof value === "string" ? /^#\/components\/schemas\/(.+)$/.exec(value)?.[1] : null;
      if (id && !used.has(id)) {
        used.add(id);
        visit(schemas[id]);
      } else visit(value);
    }
  };
  visit(paths);
  return Object.fromEntries(Object.entries(schemas).filter(([id]) => used.has(id)));
}

let document: JsonSchema | null = null;

/** The OpenAPI 3.1 document, built once per process. */
export function openApiDocument(): JsonSchema {
  if (document) return document;
  const inputs = z.registry<{ id: string }>();
  const paths = buildPaths(inputs);
  // Every output (and the problem body) is in zod's global registry under its id.
  const outputs = componentSchemas(z.globalRegistry as z.core.$ZodRegistry<{ id: string }>, "output");
  document = {
    openapi: "3.1.0",
    info: {
      title: "mastoc accounts REST API",
      version: "1.0.0",
      license: { name: "Proprietary (the mastoc project)", identifier: "LicenseRef-mastoc-proprietary" },
      contact: { name: "The administrators of this mastoc accounts server" },
      description: [
        "The mastoc account system over plain HTTP and JSON: the same procedures as the tRPC API, with the same rules.",
        "",
        "**Authentication**: `Authorization: Bearer <access token>` (from `POST /auth/login`), or an API key as",
        "`Authorization: Bearer mk_…` or `X-API-Key: mk_…`. Cookies are ignored under `/api/v1`.",
        "",
        "**Errors** are RFC 9457 problem details (`application/problem+json`); a 422 lists each invalid field.",
        "Dates are ISO 8601 strings.",
      ].join("\n"),
    },
    servers: [{ url: REST_PREFIX }],
    tags: tags.map((tag) => ({ ...tag })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "An access token from `POST /auth/login` (or an `mk_` API key)",
        },
        apiKeyAuth: { type: "apiKey", in: "header", name: "X-API-Key", description: "An `mk_` API key" },
      },
      schemas: referenced(paths, { ...outputs, ...componentSchemas(inputs, "input") }),
    },
  };
  return document;
}
