// How the portal reads NextAuth's session cookie (src/identity/vendor/next-auth-session.ts), checked
// against the installed next-auth with cookies made by next-auth's own `encode`: an upgrade that
// changes what that module relies on fails here, naming it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { EncryptJWT } from "jose";
import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import {
  NEXT_AUTH_CHECKED_VERSION,
  sessionCookieName,
  sessionTokenClaims,
} from "../src/identity/vendor/next-auth-session";

const MODULE = "apps/web/src/identity/vendor/next-auth-session.ts";
const SECRET = "next-auth-session-test-secret-0123456789";
const claims = { sid: "session-id", sub: "user-id", sv: 3 };
const installed = (
  JSON.parse(
    readFileSync(join(dirname(createRequire(import.meta.url).resolve("next-auth")), "package.json"), "utf8"),
  ) as {
    version: string;
  }
).version;
const relied = (what: string) =>
  `${MODULE} (checked against next-auth ${NEXT_AUTH_CHECKED_VERSION}, ${installed} installed): ${what}`;

describe(`${MODULE} against the installed next-auth`, () => {
  it("was checked against the installed version", () => {
    expect(
      installed,
      relied("run this file, re-check getToken's use of the request, then update NEXT_AUTH_CHECKED_VERSION"),
    ).toBe(NEXT_AUTH_CHECKED_VERSION);
  });

  it("reads a cookie next-auth made, on http and https names", async () => {
    const token = await encode({ token: claims, secret: SECRET });
    for (const secure of [false, true]) {
      const read = await sessionTokenClaims({ [sessionCookieName(secure)]: token }, { secret: SECRET, secure });
      expect(read, relied("getToken no longer reads `req.cookies` with the cookie name given")).toMatchObject(claims);
    }
    expect(await sessionTokenClaims({ "next-auth.session-token": token }, { secret: SECRET, secure: true })).toBeNull();
  });

  it("joins a cookie split in chunks, in the order of their numbers", async () => {
    // A session large enough for NextAuth to split it (cookies hold about 4 kB).
    const token = await encode({ token: { ...claims, padding: "x".repeat(6000) }, secret: SECRET });
    const name = sessionCookieName(false);
    const size = Math.ceil(token.length / 3);
    const chunks = [0, 1, 2].map((index) => token.slice(index * size, (index + 1) * size));
    const read = await sessionTokenClaims(
      { [`${name}.2`]: chunks[2]!, [`${name}.0`]: chunks[0]!, [`${name}.1`]: chunks[1]! },
      { secret: SECRET, secure: false },
    );
    expect(read, relied("getToken no longer joins chunked session cookies")).toMatchObject(claims);
  });

  it("refuses a cookie under another secret, expired, not a JWE, or of another algorithm", async () => {
    const name = sessionCookieName(false);
    const read = (token: string) => sessionTokenClaims({ [name]: token }, { secret: SECRET, secure: false });
    expect(await read(await encode({ token: claims, secret: "another-secret-entirely-0123456789" }))).toBeNull();
    expect(await read(await encode({ token: claims, secret: SECRET, maxAge: -60 }))).toBeNull();
    for (const garbage of ["", "x", "a.b.c.d.e", "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z"]) {
      expect(await read(garbage), `a cookie of ${JSON.stringify(garbage)}`).toBeNull();
    }
    // A password-based JWE under the same secret: refused before any key derivation.
    const pbes2 = await new EncryptJWT(claims)
      .setProtectedHeader({ alg: "PBES2-HS256+A128KW", enc: "A256GCM", p2c: 10_000 })
      .encrypt(new TextEncoder().encode(SECRET));
    expect(await read(pbes2)).toBeNull();
  });

  it("never takes a bearer header for a session", async () => {
    const token = await encode({ token: claims, secret: SECRET });
    // The module gives getToken no headers; an empty cookie set with a token elsewhere reads nothing.
    expect(await sessionTokenClaims({}, { secret: SECRET, secure: false })).toBeNull();
    expect(await sessionTokenClaims({ other: token }, { secret: SECRET, secure: false })).toBeNull();
  });
});
