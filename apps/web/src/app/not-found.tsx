import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found (404) · mastoc accounts" };

export default function NotFound() {
  return (
    <div className="card narrow">
      <h1>Page not found</h1>
      <p>The address may be mistyped, or the page may have moved.</p>
      <p>
        <Link href="/">Go to the start page</Link>
      </p>
    </div>
  );
}
