// `pnpm db:seed:demo`: demo data (a moderator, two climbers, climbs) for trying the portal.
// Re-runnable: accounts are upserted by email and keep their password after the first run; new
// accounts get random passwords, printed once and saved to <data dir>/demo-accounts.txt (0600).
// No account with a fixed, published password is ever created.
import "./env";
import { randomBytes } from "node:crypto";
import { appendFileSync, chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { createDatabase } from "../client";
import { databaseConfig } from "../config";
import { migrate } from "../migrate";
import { dataDir } from "../paths";

const accounts = [
  {
    email: "moderator@demo.mastoc.local",
    username: "demo_moderator",
    name: "Mona Moderator",
    role: "MODERATOR" as const,
  },
  { email: "ada@demo.mastoc.local", username: "ada", name: "Ada Crimp", role: "USER" as const },
  { email: "lynn@demo.mastoc.local", username: "lynn", name: "Lynn Sloper", role: "USER" as const },
];

const climbs = [
  { name: "La Marie-Rose", grade: "6A", description: "Bleau classic on perfect slopers.", by: "ada" },
  { name: "Karma", grade: "8A", description: "The famous dyno.", by: "lynn" },
  { name: "Rainbow Rocket", grade: "8A", description: null, by: "lynn" },
  { name: "Warm-up traverse", grade: "V2", description: "Board problem, all holds.", by: "demo_moderator" },
  { name: "Crimp ladder", grade: "6B+", description: null, by: "ada" },
];

const config = databaseConfig();
await migrate(config);
const { db } = createDatabase(config);
const created: string[] = [];
const ids = new Map<string, string>();

for (const account of accounts) {
  const existing = await db.user.findUnique({ where: { email: account.email }, select: { id: true } });
  if (existing) {
    ids.set(account.username, existing.id);
    continue;
  }
  const password = randomBytes(12).toString("base64url");
  const user = await db.user.create({
    data: {
      ...account,
      emailVerified: new Date(),
      passwordHash: bcrypt.hashSync(password, 12),
      passwordChangedAt: new Date(),
    },
    select: { id: true },
  });
  ids.set(account.username, user.id);
  created.push(`${account.email}  ${account.role.padEnd(9)}  password: ${password}`);
}

let addedClimbs = 0;
for (const climb of climbs) {
  const creator = ids.get(climb.by)!;
  const exists = await db.climb.findFirst({ where: { name: climb.name, createdById: creator }, select: { id: true } });
  if (exists) continue;
  await db.climb.create({
    data: {
      name: climb.name,
      grade: climb.grade,
      description: climb.description,
      createdById: creator,
      updatedById: creator,
    },
  });
  addedClimbs++;
}
await db.$disconnect();

if (created.length > 0) {
  const dir = dataDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, "demo-accounts.txt");
  appendFileSync(file, created.join("\n") + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
  console.log(`Demo accounts created (passwords shown once, also in ${file}):\n  ${created.join("\n  ")}`);
} else {
  console.log("Demo accounts already exist (their passwords are in demo-accounts.txt in the data directory).");
}
console.log(`${addedClimbs} demo climb(s) added.`);
