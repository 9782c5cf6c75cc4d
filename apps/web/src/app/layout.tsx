import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Providers } from "@/lib/trpc";
import { currentUser } from "@/server/caller";
import { SignOutButton } from "./sign-out-button";
import "./globals.css";

export const metadata: Metadata = { title: "mastoc accounts", description: "Your mastoc account" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body>
        <a href="#content" className="skip-link">
          Skip to content
        </a>
        <header className="site">
          <Link href="/" className="brand">
            mastoc accounts
          </Link>
          <nav aria-label="Main">
            {user && <Link href="/profile">Profile</Link>}
            {user && <Link href="/climbs">Climbs</Link>}
            {user?.permissions["users.read"] && <Link href="/admin/users">Users</Link>}
            {user?.permissions["audit.readClimbs"] && <Link href="/admin/audit">Audit log</Link>}
          </nav>
          {user ? (
            <div className="who">
              <span>
                Signed in as <strong>{user.name ?? user.username}</strong> <span className="badge">{user.role}</span>
              </span>
              <SignOutButton />
            </div>
          ) : (
            <div className="who">
              <Link href="/login">Sign in</Link>
              <Link href="/register">Create account</Link>
            </div>
          )}
        </header>
        <main id="content">
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
