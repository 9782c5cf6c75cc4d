// The one way an avatar is uploaded and served over HTTP, whatever the route (the portal's
// `/api/users/…/avatar`, used by the profile page and the CLI, and the REST API's): one bounded
// body reader, one set of checks, then the `users.uploadAvatar` procedure.
import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPCError } from "@trpc/server";
import { getDatabase } from "@mastoc/db";
import { said, textOf } from "../errors";
import type { createCaller } from "../root";
import { AVATAR_MAX_BYTES, avatarDownload, multipartFile } from "../services/avatars";
import { readBody } from "./body";
import { fail } from "./problem";

/** Room for the multipart envelope around a 2 MB avatar. */
const MAX_MULTIPART_BYTES = AVATAR_MAX_BYTES + 64 * 1024;

type Caller = ReturnType<typeof createCaller>;

/** The refusals of an image, by the status each is answered with. */
const FILE_ERRORS = { BAD_REQUEST: 400, UNSUPPORTED_MEDIA_TYPE: 415, PAYLOAD_TOO_LARGE: 413 } as const;

/** Reads a multipart upload (field `file`) and makes it the caller's avatar; answers the procedure's output. */
export async function receiveAvatar(request: IncomingMessage, caller: Caller) {
  // Who is calling is settled before the body is read: an anonymous upload is refused unread.
  try {
    await caller.auth.me();
  } catch (error) {
    request.resume();
    throw error;
  }
  const contentType = request.headers["content-type"] ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    request.resume();
    fail(415, said("avatar.multipart"));
  }
  const body = await readBody(request, MAX_MULTIPART_BYTES, said("avatar.tooLarge"));
  const file = await multipartFile(contentType, body);
  if ("error" in file) {
    const refusal = said(file.error);
    return fail(400, refusal, { errors: [{ field: "file", message: refusal }] });
  }
  try {
    return await caller.users.uploadAvatar({ base64: file.bytes.toString("base64") });
  } catch (error) {
    // What is wrong with the image is wrong with the form's `file` field.
    const status = error instanceof TRPCError ? FILE_ERRORS[error.code as keyof typeof FILE_ERRORS] : undefined;
    if (!status) throw error;
    const refusal = textOf(error as TRPCError);
    return fail(status, refusal, { code: (error as TRPCError).code, errors: [{ field: "file", message: refusal }] });
  }
}

/** Answers GET (or HEAD) of a user's avatar, revalidated with its ETag; a user without one is a 404 problem. */
export async function sendAvatar(request: IncomingMessage, response: ServerResponse, userId: string): Promise<void> {
  request.resume();
  const answer = await avatarDownload(getDatabase().db, userId, request.headers["if-none-match"] ?? null);
  if (answer.status === 404) return fail(404, said("notFound.avatar"), { code: "NOT_FOUND" });
  response.writeHead(answer.status, answer.headers);
  response.end(answer.status === 200 && request.method !== "HEAD" ? answer.body : undefined);
}
