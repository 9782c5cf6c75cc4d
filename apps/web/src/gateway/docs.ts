// The REST facade's reference: the OpenAPI document at /api/openapi.json, and Swagger UI at /docs,
// served from this origin (the npm package's own files) under the portal's Content-Security-Policy:
// no CDN, no external fonts, no calls to Swagger's online validator.
import { createReadStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire as requireFrom } from "node:module";
import { dirname, join } from "node:path";
import { openApiDocument, requestLocale, said, sendProblem } from "@mastoc/api";
import { translator } from "@mastoc/api/i18n";

export const OPENAPI_PATH = "/api/openapi.json";
export const DOCS_PATH = "/docs";

const swaggerUi = dirname(requireFrom(import.meta.url).resolve("swagger-ui-dist/package.json"));

/** The package's files this page uses, and nothing else of its directory. */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
  "favicon-16x16.png": "image/png",
};

/** The page in the language of the request: the switcher's cookie, else Accept-Language. */
function page(request: IncomingMessage): string {
  const locale = requestLocale(request);
  const title = translator(locale, "layout")("docs.title");
  return `<!doctype html>
<html lang="${locale}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>mastoc accounts — ${title}</title>
    <link rel="stylesheet" href="${DOCS_PATH}/assets/swagger-ui.css" />
    <link rel="icon" type="image/png" sizes="32x32" href="${DOCS_PATH}/assets/favicon-32x32.png" />
  </head>
  <body>
    <main id="swagger-ui" aria-label="${title}"></main>
    <script src="${DOCS_PATH}/assets/swagger-ui-bundle.js"></script>
    <script src="${DOCS_PATH}/init.js"></script>
  </body>
</html>
`;
}

/** A script of its own rather than an inline one, so the page's policy needs no exception. */
const INIT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(OPENAPI_PATH)},
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
`;

let documentJson: string | null = null;

function send(response: ServerResponse, status: number, type: string, body: string, cache = "no-cache") {
  response.writeHead(status, { "content-type": type, "cache-control": cache });
  response.end(body);
}

/** Answers /api/openapi.json and /docs…; returns false for any other path. */
export function serveDocs(request: IncomingMessage, response: ServerResponse, pathname: string): boolean {
  if (pathname === OPENAPI_PATH) {
    documentJson ??= JSON.stringify(openApiDocument());
    send(response, 200, "application/json; charset=utf-8", documentJson);
    return true;
  }
  if (pathname !== DOCS_PATH && !pathname.startsWith(`${DOCS_PATH}/`)) return false;
  if (request.method !== "GET" && request.method !== "HEAD") {
    sendProblem(
      response,
      {
        status: 405,
        detail: said("http.methodNotAllowed", { method: request.method ?? "", allow: "GET, HEAD" }),
        headers: { allow: "GET, HEAD" },
      },
      requestLocale(request),
    );
    return true;
  }
  if (pathname === DOCS_PATH || pathname === `${DOCS_PATH}/`) {
    response.setHeader("vary", "accept-language, cookie");
    send(response, 200, "text/html; charset=utf-8", page(request));
  } else if (pathname === `${DOCS_PATH}/init.js`) {
    send(response, 200, "text/javascript; charset=utf-8", INIT);
  } else {
    const name = pathname.slice(`${DOCS_PATH}/assets/`.length);
    const type = pathname.startsWith(`${DOCS_PATH}/assets/`) ? ASSETS[name] : undefined;
    if (!type) {
      sendProblem(
        response,
        { status: 404, detail: said("notFound.document", { path: pathname }) },
        requestLocale(request),
      );
      return true;
    }
    response.writeHead(200, { "content-type": type, "cache-control": "public, max-age=3600" });
    createReadStream(join(swaggerUi, name)).pipe(response);
  }
  return true;
}
