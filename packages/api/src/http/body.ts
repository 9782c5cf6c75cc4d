// Request bodies read with a bound: past the limit the rest is drained unread and the request is
// refused with 413, so neither a liar's Content-Length nor an endless stream costs memory.
import type { IncomingMessage } from "node:http";
import { said, type Text } from "../errors";
import { fail } from "./problem";

/** The largest JSON body the REST API accepts. */
export const MAX_JSON_BYTES = 1024 * 1024;
export const JSON_TOO_LARGE = said("http.jsonTooLarge");

/** Reads the body up to `limit` bytes; past it, the rest is drained unread and the request refused with 413. */
export async function readBody(request: IncomingMessage, limit: number, tooLarge: Text): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) {
    request.resume();
    fail(413, tooLarge);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) {
      request.resume();
      fail(413, tooLarge);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const isJson = (contentType: string | undefined) =>
  /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType?.trim() ?? "");

/** The JSON body of a request, or undefined when it has none. */
export async function jsonBody(request: IncomingMessage): Promise<unknown> {
  const body = await readBody(request, MAX_JSON_BYTES, JSON_TOO_LARGE);
  if (body.byteLength === 0) return undefined;
  if (!isJson(request.headers["content-type"])) {
    fail(400, said("http.jsonContentType"));
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return fail(400, said("http.notUtf8"));
  }
  try {
    return JSON.parse(text);
  } catch {
    return fail(400, said("http.notJson"));
  }
}
