import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { DeleteAccount } from "../delete-account";
import { settingsTitle } from "../sections";

export const metadata = { title: settingsTitle("Delete account") };

export default async function DeleteAccountPage() {
  await requireUser("/profile/delete");
  const caller = await serverCaller();
  const [twoFactor, passkeys] = await Promise.all([caller.auth.twoFactor.status(), caller.passkeys.list()]);
  return (
    <section className="card" aria-labelledby="delete-heading">
      <h1 id="delete-heading">Delete account</h1>
      <DeleteAccount twoFactor={twoFactor.enabled} passkeys={passkeys.length > 0} />
    </section>
  );
}
