import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Providers } from "@/lib/trpc";
import { currentUser } from "@/identity/caller";
import { SignOutButton } from "./sign-out-button";
import { VerifyEmailBanner } from "./verify-email-banner";
import { NavLink, SiteMenu } from "./site-menu";
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
          {user ? (
            <SiteMenu>
              <nav aria-label="Main">
                <NavLink href="/profile">Profile</NavLink>
                <NavLink href="/climbs">Climbs</NavLink>
                {user.permissions["stats.climbs"] && <NavLink href="/admin">Dashboard</NavLink>}
                {user.permissions["users.read"] && <NavLink href="/admin/users">Users</NavLink>}
                {user.permissions["audit.readClimbs"] && <NavLink href="/admin/audit">Audit log</NavLink>}
              </nav>
              <div className="who">
                <span>
                  Signed in as <strong>{user.name ?? user.username}</strong> <span className="badge">{user.role}</span>
                </span>
                <SignOutButton />
              </div>
            </SiteMenu>
          ) : (
            <div className="who">
              <Link href="/login">Sign in</Link>
              <Link href="/register">Create account</Link>
            </div>
          )}
        </header>
        <main id="content">
          <Providers>
            {user && !user.emailVerified && <VerifyEmailBanner email={user.email} />}
            {children}
          </Providers>
        </main>
      </body>
    </html>
  );
}
