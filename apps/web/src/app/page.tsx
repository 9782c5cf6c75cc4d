import { redirect } from "next/navigation";
import { currentUser } from "@/identity/caller";

export default async function Home() {
  redirect((await currentUser()) ? "/profile" : "/login");
}
