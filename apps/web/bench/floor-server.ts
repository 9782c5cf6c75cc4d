// The raw floor of `pnpm bench`: the least a server can do to answer "who is this, and is the
// session still alive?" for a bearer access token. node:http, an HS256 verify with jose, and ONE
// prepared statement joining AuthSession and User on the portal's own database. Whatever the
// portal does on top of this is what the ratio measures.
//
// Environment: PORT, JWT_SECRET, FLOOR_DATABASE_URL (an absolute SQLite file path, or postgresql://…).
import { webcrypto } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import Database from "better-sqlite3";
import { errors, jwtVerify } from "jose";
import pg from "pg";
import { permissionsFor, type RoleName } from "@mastoc/api/permissions";

type Row = {
  userId: string;
  revokedAt: string | number | Date | null;
  expiresAt: string | number | Date;
  id: string;
  email: string;
  username: string;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  image: string | null;
  role: RoleName;
  isActive: boolean | number;
  emailVerified: string | number | Date | null;
  createdAt: string | number | Date;
  updatedAt: string | number | Date;
  lastLoginAt: string | number | Date | null;
  sessionVersion: number;
};

const columns = (quote: (name: string) => string) =>
  `SELECT s.${quote("userId")}, s.${quote("revokedAt")}, s.${quote("expiresAt")},
          u.id, u.email, u.username, u.name, u.${quote("firstName")}, u.${quote("lastName")}, u.image, u.role,
          u.${quote("isActive")}, u.${quote("emailVerified")}, u.${quote("createdAt")}, u.${quote("updatedAt")},
          u.${quote("lastLoginAt")}, u.${quote("sessionVersion")}
     FROM ${quote("AuthSession")} s JOIN ${quote("User")} u ON u.id = s.${quote("userId")}
    WHERE s.id = `;
const quoted = (name: string) => `"${name}"`;

function sessionLookup(url: string): (sessionId: string) => Promise<Row | undefined> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    // The same pool size as the portal's Prisma adapter (pg's default of 10).
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const text = `${columns(quoted)}$1`;
    return async (sessionId) =>
      (await pool.query<Row>({ name: "floor-session-user", text, values: [sessionId] })).rows[0];
  }
  const db = new Database(url, { fileMustExist: true });
  const statement = db.prepare<[string], Row>(`${columns(quoted)}?`);
  return async (sessionId) => statement.get(sessionId);
}

const time = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));
const iso = (value: string | number | Date | null) => (value === null ? null : time(value).toISOString());

const port = Number.parseInt(process.env.PORT ?? "", 10);
const secret = new TextEncoder().encode(process.env.JWT_SECRET ?? "");
const databaseUrl = process.env.FLOOR_DATABASE_URL ?? "";
if (!port || secret.length < 32 || !databaseUrl) {
  throw new Error("floor server: PORT, JWT_SECRET (32+ characters) and FLOOR_DATABASE_URL are required");
}
const lookup = sessionLookup(databaseUrl);
// The key is imported once, as the portal does (jose would import raw bytes on every call).
const key = await webcrypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);

const reply = (response: ServerResponse, status: number, body: unknown) => {
  const json = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
  response.end(json);
};
const unauthorized = { error: { json: { message: "UNAUTHORIZED", data: { httpStatus: 401 } } } };

createServer((request, response) => {
  if (request.url === "/health") return reply(response, 200, { ok: true });
  const token = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) return reply(response, 401, unauthorized);
  jwtVerify(token, key, { algorithms: ["HS256"], issuer: "mastoc-accounts" })
    .then(async ({ payload }) => {
      if (payload.type !== "access" || typeof payload.sid !== "string") return reply(response, 401, unauthorized);
      const row = await lookup(payload.sid);
      if (
        !row ||
        row.userId !== payload.sub ||
        row.revokedAt !== null ||
        time(row.expiresAt).getTime() <= Date.now() ||
        !row.isActive ||
        row.sessionVersion !== payload.sv
      ) {
        return reply(response, 401, unauthorized);
      }
      const user = {
        id: row.id,
        email: row.email,
        username: row.username,
        name: row.name,
        firstName: row.firstName,
        lastName: row.lastName,
        image: row.image,
        role: row.role,
        isActive: Boolean(row.isActive),
        emailVerified: iso(row.emailVerified),
        createdAt: iso(row.createdAt),
        updatedAt: iso(row.updatedAt),
        lastLoginAt: iso(row.lastLoginAt),
        permissions: permissionsFor(row.role),
      };
      reply(response, 200, { result: { data: { json: user } } });
    })
    .catch((error: unknown) => {
      if (error instanceof errors.JOSEError) return reply(response, 401, unauthorized);
      console.error("floor server:", error);
      reply(response, 500, { error: { json: { message: "INTERNAL_SERVER_ERROR" } } });
    });
}).listen(port, "127.0.0.1", () => console.info(`floor server listening on ${port}`));
