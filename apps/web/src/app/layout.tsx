import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { currentUser } from "@/server/caller";
import { SignOutButton } from "./sign-out-button";
import "./globals.css";

export const metadata: Metadata = { title: "mastoc accounts", description: "Your mastoc account" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body>
        <header className="site">
          <Link href="/" className="brand">
            mastoc accounts
          </Link>
          <nav aria-label="Main">{user && <Link href="/profile">Profile</Link>}</nav>
          {user ? (
            <div className="who">
              <span>
                Signed in as <strong>{user.name ?? user.username}</strong> <span className="badge">{user.role}</span>
              </span>
              <SignOutButton />
            </div>
          ) : (
            <Link href="/login">Sign in</Link>
          )}
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
