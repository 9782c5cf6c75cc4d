/**
 * A user's picture, or the first letter of their name when they have none (decorative: the name
 * is always written next to it). `small` is the header's size.
 */
export function Avatar({
  user,
  small = false,
}: {
  user: { image: string | null; name: string | null; username: string };
  small?: boolean;
}) {
  const size = small ? 28 : 96;
  const className = small ? "avatar small" : "avatar";
  if (user.image) return <img className={className} src={user.image} alt="" width={size} height={size} />;
  return (
    <span className={`${className} initials`} aria-hidden="true">
      {(user.name ?? user.username).slice(0, 1).toUpperCase()}
    </span>
  );
}
