// GET: a user's avatar (public, like the rest of the public profile), revalidated with its ETag.
import { getDatabase } from "@mastoc/db";
import { httpError } from "@/server/http-errors";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Ids are short alphanumeric strings; anything else cannot name a user.
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return httpError("NOT_FOUND", "This user has no avatar");
  const avatar = await getDatabase().db.avatar.findUnique({
    where: { userId: id },
    select: { mimeType: true, data: true, etag: true, size: true },
  });
  if (!avatar) return httpError("NOT_FOUND", "This user has no avatar");
  const etag = `"${avatar.etag}"`;
  const headers = {
    etag,
    "cache-control": "public, max-age=0, must-revalidate",
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
  };
  if (
    request.headers
      .get("if-none-match")
      ?.split(",")
      .some((value) => value.trim() === etag)
  ) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(Buffer.from(avatar.data), {
    headers: {
      ...headers,
      "content-type": avatar.mimeType,
      "content-length": String(avatar.size),
      "content-disposition": "inline",
    },
  });
}
