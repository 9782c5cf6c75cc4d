import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import type { Config } from "../config";
import { formatter, isLocale, isTimeZone, translator, type Locale, type MessageKey } from "../i18n";

export type Mail = { to: string; subject: string; text: string; html?: string };

/** Whom a notice is for: their address, and the language and time zone saved on their account. */
export type Recipient = { email: string; locale: string | null; timeZone: string | null };

/** The notices of the `email` catalog: each has a `subject` and a `body`. */
type Notice = {
  [K in MessageKey<"email">]: K extends `${infer Name}.subject` ? Name : never;
}[MessageKey<"email">];

/** What a notice says: text and figures, and dates, written in the recipient's locale and time zone. */
type NoticeValues = Record<string, string | number | Date>;

/** The language of a recipient's mail: the one saved on their account, else the server's default. */
export function mailLocale(config: Config, recipient: Recipient): Locale {
  return isLocale(recipient.locale) ? recipient.locale : config.DEFAULT_LOCALE;
}

/**
 * A notice for `recipient`, in their saved language (the server's default when they have none,
 * whichever language the request that caused it spoke), its times in their time zone (UTC when
 * unknown) and naming it: "4 déc. 2026, 16:06 (Europe/Paris)". Plain text, and the same as HTML.
 */
export function composeMail(config: Config, recipient: Recipient, notice: Notice, values: NoticeValues = {}): Mail {
  const locale = mailLocale(config, recipient);
  const timeZone = recipient.timeZone && isTimeZone(recipient.timeZone) ? recipient.timeZone : "UTC";
  const format = formatter(locale, timeZone);
  const written = Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      value instanceof Date
        ? `${format.dateTime(value, { dateStyle: "medium", timeStyle: "short" })} (${timeZone})`
        : value,
    ]),
  );
  const t = translator(locale, "email");
  const text = t(`${notice}.body` as MessageKey<"email">, written);
  return {
    to: recipient.email,
    subject: t(`${notice}.subject` as MessageKey<"email">, written),
    text: `${text}\n`,
    html: htmlOf(text, locale),
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** Paragraphs (blank-line separated) and lines of a notice as HTML, its links clickable. */
function htmlOf(text: string, locale: Locale): string {
  const paragraphs = text.split(/\n{2,}/).map((paragraph) => {
    const lines = paragraph
      .split("\n")
      .map((line) => escapeHtml(line).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`));
    return `<p>${lines.join("<br>")}</p>`;
  });
  return `<!doctype html><html lang="${locale}"><body>${paragraphs.join("")}</body></html>`;
}

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
