import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import type { Config } from "../config";

export type Mail = { to: string; subject: string; text: string };

let smtp: { url: string; transport: Transporter } | undefined;

/**
 * Sends a message: over SMTP when `SMTP_URL` is set, otherwise as an `.eml` file in
 * `<data dir>/outbox/` (the embedded default, so every flow works on a fresh machine).
 */
export async function sendMail(config: Config, mail: Mail): Promise<void> {
  const message = { from: config.MAIL_FROM, ...mail };
  if (config.SMTP_URL) {
    if (smtp?.url !== config.SMTP_URL)
      smtp = { url: config.SMTP_URL, transport: nodemailer.createTransport(config.SMTP_URL) };
    await smtp.transport.sendMail(message);
    return;
  }
  const outbox = join(config.dataDir, "outbox");
  mkdirSync(outbox, { recursive: true, mode: 0o700 });
  const built = await nodemailer
    .createTransport({ streamTransport: true, buffer: true, newline: "unix" })
    .sendMail(message);
  const file = join(outbox, `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.eml`);
  writeFileSync(file, built.message as Buffer, { mode: 0o600 });
  // The path only: the message may hold a single-use link, which stays out of the logs.
  console.info(`[mail] "${mail.subject}" for ${mail.to} written to ${file}`);
}

/** Sends without making the caller wait (so response time does not reveal whether a mail was sent). */
export function sendMailInBackground(config: Config, mail: Mail): void {
  sendMail(config, mail).catch((error: unknown) => {
    console.error(`[mail] could not send "${mail.subject}": ${(error as Error).message}`);
  });
}
