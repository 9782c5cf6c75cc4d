// POST: upload the caller's avatar (multipart field `file`, any credential). DELETE: remove it.
import { AVATAR_MAX_BYTES, multipartFile } from "@mastoc/api";
import { callerForHeaders } from "@/identity/caller";
import { errorResponse, httpError } from "@/identity/http-errors";

/** Room for the multipart envelope around a 2 MB file. */
const BODY_LIMIT = AVATAR_MAX_BYTES + 64 * 1024;
const TOO_LARGE = "The image must be at most 2 MB";

/** Reads the body up to `limit` bytes, stopping (without buffering the rest) as soon as it is exceeded. */
async function readLimited(request: Request, limit: number): Promise<Buffer | null> {
  const reader = request.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export async function POST(request: Request) {
  try {
    const caller = await callerForHeaders(request.headers);
    try {
      await caller.auth.me();
    } catch (error) {
      // Read what the client is sending (bounded) so it receives the 401 rather than a reset connection.
      await readLimited(request, BODY_LIMIT);
      throw error;
    }
    const declared = Number(request.headers.get("content-length") ?? "0");
    if (declared > BODY_LIMIT) return httpError("PAYLOAD_TOO_LARGE", TOO_LARGE);
    const contentType = request.headers.get("content-type") ?? "";
    if (!contentType.startsWith("multipart/form-data")) {
      return httpError("UNSUPPORTED_MEDIA_TYPE", "Send the image as multipart/form-data in a field named `file`");
    }
    const body = await readLimited(request, BODY_LIMIT);
    if (!body) return httpError("PAYLOAD_TOO_LARGE", TOO_LARGE);
    const file = await multipartFile(contentType, body);
    if ("error" in file) return httpError("BAD_REQUEST", file.error);
    const bytes = file.bytes;
    const result = await caller.users.uploadAvatar({ base64: bytes.toString("base64") });
    return Response.json(result, { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function DELETE(request: Request) {
  try {
    return Response.json(await (await callerForHeaders(request.headers)).users.deleteAvatar());
  } catch (error) {
    return errorResponse(error);
  }
}
