// Rows whose ID starts with a given prefix, as git resolves short object names: IDs are
// lower-case letters and digits (cuid), so the prefix is one too, and the rows that start with it
// form one range of the primary key's index (`prefix` ≤ id < the next prefix), which both
// databases read without a scan; the exact `startsWith` keeps the answer exact whatever the
// collation.

/** How many candidates a lookup returns at most: enough to show that a prefix is ambiguous. */
export const ID_PREFIX_MATCHES = 10;

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** The smallest string of the alphabet greater than every string that starts with `prefix`, or null. */
function nextPrefix(prefix: string): string | null {
  for (let end = prefix.length - 1; end >= 0; end--) {
    const next = ALPHABET[ALPHABET.indexOf(prefix[end]!) + 1];
    if (next) return prefix.slice(0, end) + next;
  }
  return null;
}

export function idStartsWith(prefix: string) {
  const upper = nextPrefix(prefix);
  return { gte: prefix, ...(upper ? { lt: upper } : {}), startsWith: prefix };
}
