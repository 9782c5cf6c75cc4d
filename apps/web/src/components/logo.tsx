/**
 * The mastoc mark: a boulder with a route of holds up its face, in a rounded square. Its colours
 * come from the stylesheet (`.logo-bg`, `.logo-fg`), so it follows the colour scheme;
 * `app/icon.svg` is the same drawing with fixed colours for the favicon.
 */
export function Logo() {
  return (
    <svg className="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect className="logo-bg" width="32" height="32" rx="7" />
      <path className="logo-fg" d="M4 26 L12.5 9.5 L17 17 L20.5 12 L28 26 Z" />
      <circle className="logo-bg" cx="12.6" cy="14" r="1.6" />
      <circle className="logo-bg" cx="15.2" cy="19.2" r="1.6" />
      <circle className="logo-bg" cx="19.6" cy="17.8" r="1.3" />
    </svg>
  );
}
