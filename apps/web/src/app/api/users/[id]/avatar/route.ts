// GET: a user's avatar (public, like the rest of the public profile), revalidated with its ETag.
import { avatarDownload } from "@mastoc/api";
import { getDatabase } from "@mastoc/db";
import { httpError } from "@/identity/http-errors";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const answer = await avatarDownload(getDatabase().db, id, request.headers.get("if-none-match"));
  if (answer.status === 404) return httpError("NOT_FOUND", "This user has no avatar");
  if (answer.status === 304) return new Response(null, { status: 304, headers: answer.headers });
  return new Response(new Uint8Array(answer.body), { headers: answer.headers });
}
