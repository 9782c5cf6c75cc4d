import { serverCaller } from "@/identity/caller";

type Caller = Awaited<ReturnType<typeof serverCaller>>;

/**
 * What to call each of these users (display name or username, and email), for staff who may read
 * users: one lookup per distinct id, a deleted account simply missing from the map.
 */
export async function userNames(caller: Caller, ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(
    unique.map((id) =>
      caller.admin.getUser({ id }).then(
        (user) => [id, `${user.name ?? user.username} (${user.email})`] as const,
        () => null,
      ),
    ),
  );
  return new Map(found.filter((entry) => entry !== null));
}

/**
 * The account an audit filter names by email or username (exactly, case aside), or null. Anything
 * else is taken as an account id, as the filter always accepted.
 */
export async function resolveActor(caller: Caller, value: string): Promise<{ id: string; label: string } | null> {
  const wanted = value.trim().toLowerCase();
  if (!wanted) return null;
  const { items } = await caller.admin.listUsers({ query: wanted, pageSize: 100 });
  const user = items.find((item) => item.email.toLowerCase() === wanted || item.username.toLowerCase() === wanted);
  return user ? { id: user.id, label: `${user.name ?? user.username} (${user.email})` } : null;
}
