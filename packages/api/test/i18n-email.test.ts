// Notices are written in their recipient's saved language (the server's default when they have
// none), whatever language the request that caused them spoke, with times in the recipient's
// time zone: checked through a real SMTP server (smtp-server), subject, text and HTML.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailCatcher, type MailCatcher } from "./mail-catcher";
import { callerFor, createUser, PASSWORD, signIn, unique, useTestDatabase } from "./support";

const t = useTestDatabase();

let catcher: MailCatcher;

beforeAll(async () => {
  catcher = await startMailCatcher();
});
afterAll(() => catcher.stop());

const mailTo = (to: string, subject: RegExp) => catcher.waitFor(to, subject, 10_000);

async function userSpeaking(locale: string | null, timeZone: string | null) {
  const user = await createUser(t.db);
  await t.db.user.update({ where: { id: user.id }, data: { locale, timeZone } });
  return user;
}

const smtp = (language: string) => ({ headers: { "accept-language": language }, config: { SMTP_URL: catcher.url } });

describe("notices in the recipient's language", () => {
  it("mails a French-speaking user in French though an English browser asked", async () => {
    const user = await userSpeaking("fr", "Europe/Paris");
    await (await callerFor(t.db, smtp("en-GB,en"))).auth.requestPasswordReset({ email: user.email });
    const mail = await mailTo(user.email, /mastoc/);
    expect(mail.subject).toBe("Réinitialisez votre mot de passe mastoc");
    expect(mail.text).toContain("Ouvrez ce lien d’ici 30 minutes pour choisir un nouveau mot de passe\u00a0:");
    expect(mail.text).toMatch(/\/reset-password\?token=\S+/);
    expect(mail.html).toContain('<html lang="fr">');
    expect(mail.html).toMatch(/<a href="https?:\/\/[^"]+\/reset-password\?token=/);
  });

  it("mails an English-speaking user in English though a French browser asked", async () => {
    const user = await userSpeaking("en", null);
    await (await callerFor(t.db, smtp("fr-FR,fr"))).auth.requestPasswordReset({ email: user.email });
    const mail = await mailTo(user.email, /mastoc/);
    expect(mail.subject).toBe("Reset your mastoc password");
    expect(mail.text).toContain("Open this link within 30 minutes to choose a new password:");
    expect(mail.html).toContain('<html lang="en">');
  });

  it("mails a user with no saved language in the server's default (English), not the caller's", async () => {
    const user = await userSpeaking(null, null);
    await (await callerFor(t.db, smtp("fr"))).auth.requestPasswordReset({ email: user.email });
    expect((await mailTo(user.email, /mastoc/)).subject).toBe("Reset your mastoc password");
  });

  it("gives times in the recipient's time zone, naming it, in their language", async () => {
    const paris = await userSpeaking("fr", "Europe/Paris");
    await signIn(t.db, paris.email, PASSWORD, { ...smtp("en"), ip: "198.51.100.90", userAgent: `curl/${unique()}` });
    const french = await mailTo(paris.email, /connexion/i);
    expect(french.subject).toBe("Nouvelle connexion à votre compte mastoc");
    expect(french.text).toMatch(/Heure\u00a0: \d{1,2} \S+ \d{4}(,| à) \d{2}:\d{2} \(Europe\/Paris\)/);
    expect(french.text).toContain("Adresse\u00a0: 198.51.100.90");
    expect(french.text).toContain("Connexion avec\u00a0: mot de passe");

    const montreal = await userSpeaking("en", "America/Montreal");
    await signIn(t.db, montreal.email, PASSWORD, { ...smtp("fr"), ip: "198.51.100.91", userAgent: `curl/${unique()}` });
    const english = await mailTo(montreal.email, /sign-in/);
    expect(english.text).toMatch(/Time: [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M \(America\/Montreal\)/);
    expect(english.text).toContain("Signed in with: Password");
  });

  it("names the client in the recipient's language", async () => {
    const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    const paris = await userSpeaking("fr", "Europe/Paris");
    await signIn(t.db, paris.email, PASSWORD, { ...smtp("en"), ip: "198.51.100.92", userAgent: firefox });
    const french = await mailTo(paris.email, /connexion/i);
    expect(french.text).toContain("Client\u00a0: Firefox 133 sur Linux (");
    expect(french.html).toContain("Firefox 133 sur Linux");

    const unknown = await userSpeaking("fr", null);
    await signIn(t.db, unknown.email, PASSWORD, { ...smtp("en"), ip: "198.51.100.93", userAgent: "" });
    expect((await mailTo(unknown.email, /connexion/i)).text).toContain("Client\u00a0: Client inconnu (");

    const london = await userSpeaking("en", "Europe/London");
    await signIn(t.db, london.email, PASSWORD, { ...smtp("fr"), ip: "198.51.100.94", userAgent: firefox });
    expect((await mailTo(london.email, /sign-in/)).text).toContain("Client: Firefox 133 on Linux (");
  });
});
