// Avatar processing: real image bytes in, a clean square WebP out; everything else refused.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { AVATAR_SIZE, detectImageType, normaliseAvatar } from "../src/services/avatars";
import { callerFor, createUser, rejection, sampleImages, signIn, useTestDatabase } from "./support";

const t = useTestDatabase();

describe("avatar processing", () => {
  it.each(["png", "jpeg", "webp", "gif"] as const)(
    "accepts %s and re-encodes it as a 256 px square WebP",
    async (kind) => {
      const bytes = (await sampleImages())[kind];
      expect(detectImageType(bytes)).toBe(kind);
      const { data, etag } = await normaliseAvatar(bytes);
      const metadata = await sharp(data).metadata();
      expect(metadata).toMatchObject({ format: "webp", width: AVATAR_SIZE, height: AVATAR_SIZE });
      expect(metadata.exif).toBeUndefined();
      expect(etag).toMatch(/^[0-9a-f]{32}$/);
    },
  );

  it("strips what follows the image in a polyglot file (PNG + HTML/script)", async () => {
    const png = (await sampleImages()).png;
    const polyglot = Buffer.concat([png, Buffer.from("<html><script>alert(document.cookie)</script></html>")]);
    const { data } = await normaliseAvatar(polyglot);
    expect(data.toString("latin1")).not.toContain("<script>");
    expect((await sharp(data).metadata()).format).toBe("webp");
  });

  it("refuses SVG with UNSUPPORTED_MEDIA_TYPE", async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>',
    );
    await rejection(normaliseAvatar(svg), "UNSUPPORTED_MEDIA_TYPE");
  });

  it("refuses HTML whatever it is called", async () => {
    await rejection(normaliseAvatar(Buffer.from("<!doctype html><script>alert(1)</script>")), "UNSUPPORTED_MEDIA_TYPE");
  });

  it("refuses a file with a PNG signature that is not a decodable PNG", async () => {
    const fake = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from("<html>not an image</html>"),
    ]);
    const error = await rejection(normaliseAvatar(fake), "BAD_REQUEST");
    expect(error.message).toBe("The file is not a valid image");
  });

  it("refuses a JPEG renamed with a PNG signature mismatch (content and signature disagree)", async () => {
    const jpeg = (await sampleImages()).jpeg;
    const lying = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), jpeg]);
    await rejection(normaliseAvatar(lying), "BAD_REQUEST");
  });

  it("refuses more than 2 MB with PAYLOAD_TOO_LARGE and an empty file with BAD_REQUEST", async () => {
    await rejection(normaliseAvatar(Buffer.alloc(2 * 1024 * 1024 + 1)), "PAYLOAD_TOO_LARGE");
    await rejection(normaliseAvatar(Buffer.alloc(0)), "BAD_REQUEST");
  });
});

describe("users.uploadAvatar and users.deleteAvatar", () => {
  it("store the avatar, point `image` at its URL, and remove both", async () => {
    const user = await createUser(t.db);
    const { caller, tokens } = await signIn(t.db, user.email);
    // A later request: its caller is resolved afresh.
    const me = async () => (await callerFor(t.db, { token: tokens.access_token })).users.me();
    const { image } = await caller.users.uploadAvatar({ base64: (await sampleImages()).png.toString("base64") });
    expect(image).toMatch(new RegExp(`^/api/users/${user.id}/avatar\\?v=[0-9a-f]{12}$`));
    expect((await me()).image).toBe(image);
    const stored = await t.db.avatar.findUniqueOrThrow({ where: { userId: user.id } });
    expect(stored.mimeType).toBe("image/webp");
    expect(await t.db.auditLog.count({ where: { action: "user.avatar.update", targetId: user.id } })).toBe(1);
    expect(await caller.users.deleteAvatar()).toEqual({ success: true, removed: true });
    expect((await me()).image).toBeNull();
    expect(await t.db.avatar.count({ where: { userId: user.id } })).toBe(0);
  });
});
