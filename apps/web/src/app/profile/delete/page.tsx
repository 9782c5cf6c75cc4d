import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { DeleteAccount } from "../delete-account";
import { settingsTitle } from "../sections";

export const metadata = { title: settingsTitle("Delete account") };

export default async function DeleteAccountPage() {
  await requireUser("/profile/delete");
  const twoFactor = await (await serverCaller()).auth.twoFactor.status();
  return (
    <section className="card" aria-labelledby="delete-heading">
      <h1 id="delete-heading">Delete account</h1>
      <DeleteAccount twoFactor={twoFactor.enabled} />
    </section>
  );
}
