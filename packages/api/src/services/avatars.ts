import { createHash } from "node:crypto";
import type { Db } from "@mastoc/db";
import { apiError, said } from "../errors";

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
export const AVATAR_SIZE = 256;
export const AVATAR_MIME_TYPE = "image/webp";

type Detected = "png" | "jpeg" | "gif" | "webp";

/** The image type from the file's first bytes (never from its name or a client header). */
export function detectImageType(bytes: Uint8Array): Detected | null {
  const starts = (signature: number[], offset = 0) => signature.every((byte, index) => bytes[offset + index] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (starts([0xff, 0xd8, 0xff])) return "jpeg";
  if (starts([0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return "gif";
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "webp";
  return null;
}

/**
 * Decodes the upload and re-encodes it as a square WebP without metadata, so nothing of the
 * original file (scripts, polyglot payloads, EXIF with locations) survives.
 */
export async function normaliseAvatar(bytes: Uint8Array): Promise<{ data: Buffer; etag: string }> {
  if (bytes.byteLength === 0) throw apiError("BAD_REQUEST", said("avatar.empty"));
  if (bytes.byteLength > AVATAR_MAX_BYTES) {
    throw apiError("PAYLOAD_TOO_LARGE", said("avatar.tooLarge"));
  }
  const type = detectImageType(bytes);
  if (!type) {
    throw apiError("UNSUPPORTED_MEDIA_TYPE", said("avatar.unsupported"));
  }
  // Loaded on the first upload: libvips is several megabytes of memory that a server answering
  // sign-ins and lookups never needs.
  const { default: sharp } = await import("sharp");
  let data: Buffer;
  try {
    const image = sharp(bytes, { limitInputPixels: 50_000_000, animated: false, failOn: "error" });
    const metadata = await image.metadata();
    if (metadata.format !== type) throw new Error(`content is ${metadata.format}, header says ${type}`);
    data = await image
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover", position: "attention" })
      .webp({ quality: 85 })
      .toBuffer();
  } catch {
    throw apiError("BAD_REQUEST", said("avatar.invalid"));
  }
  return { data, etag: createHash("sha256").update(data).digest("hex").slice(0, 32) };
}

export const avatarUrl = (userId: string, etag: string) => `/api/users/${userId}/avatar?v=${etag.slice(0, 12)}`;

export async function saveAvatar(db: Db, userId: string, bytes: Uint8Array): Promise<string> {
  const { data, etag } = await normaliseAvatar(bytes);
  const image = avatarUrl(userId, etag);
  const fields = { mimeType: AVATAR_MIME_TYPE, data: new Uint8Array(data), etag, size: data.byteLength };
  await db.$transaction([
    db.avatar.upsert({ where: { userId }, create: { userId, ...fields }, update: fields }),
    db.user.update({ where: { id: userId }, data: { image } }),
  ]);
  return image;
}

export async function removeAvatar(db: Db, userId: string): Promise<boolean> {
  const removed = await db.avatar.deleteMany({ where: { userId } });
  await db.user.update({ where: { id: userId }, data: { image: null } });
  return removed.count > 0;
}

/** Ids are short alphanumeric strings; anything else cannot name a user. */
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

export type AvatarDownload =
  | { status: 200; headers: Record<string, string>; body: Buffer }
  | { status: 304; headers: Record<string, string> }
  | { status: 404 };

/**
 * A user's avatar as an HTTP answer (public, like the rest of the public profile): the image with
 * its ETag, 304 when `If-None-Match` names that ETag, or 404.
 */
export async function avatarDownload(db: Db, userId: string, ifNoneMatch: string | null): Promise<AvatarDownload> {
  if (!USER_ID.test(userId)) return { status: 404 };
  const avatar = await db.avatar.findUnique({
    where: { userId },
    select: { mimeType: true, data: true, etag: true, size: true },
  });
  if (!avatar) return { status: 404 };
  const etag = `"${avatar.etag}"`;
  const headers = {
    etag,
    "cache-control": "public, max-age=0, must-revalidate",
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
  };
  if (ifNoneMatch?.split(",").some((value) => value.trim() === etag)) return { status: 304, headers };
  return {
    status: 200,
    headers: {
      ...headers,
      "content-type": avatar.mimeType,
      "content-length": String(avatar.size),
      "content-disposition": "inline",
    },
    body: Buffer.from(avatar.data),
  };
}

/** The field `file` of a multipart/form-data body, or why there is none. */
export async function multipartFile(
  contentType: string,
  body: Uint8Array,
): Promise<{ bytes: Buffer } | { error: "avatar.unreadable" | "avatar.noFile" }> {
  let file: FormDataEntryValue | null;
  try {
    const form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
    file = form.get("file");
  } catch {
    return { error: "avatar.unreadable" };
  }
  if (!file || typeof file === "string") return { error: "avatar.noFile" };
  return { bytes: Buffer.from(await file.arrayBuffer()) };
}
