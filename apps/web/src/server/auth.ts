import type { NextAuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { TRPCError } from "@trpc/server";
import { getConfig, INVALID_CREDENTIALS, revokeSession, signIn } from "@mastoc/api";
import { getDatabase } from "@mastoc/db";
import { webConfig } from "./env";
import { requestMeta } from "./request";

declare module "next-auth" {
  interface User {
    role?: string;
    sid?: string;
    sv?: number;
  }
  interface Session {
    user: { id: string; email: string; name: string | null; role: string };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: string;
    sid?: string;
    sv?: number;
  }
}

/**
 * NextAuth with the Credentials provider and JWT sessions. Each sign-in opens a server-side
 * session (AuthSession, kind "web") whose id travels in the encrypted cookie; every request checks
 * it against the database, so revocations take effect at once.
 */
export function authOptions(): NextAuthOptions {
  const web = webConfig();
  const { db } = getDatabase();
  return {
    secret: web.nextAuthSecret,
    session: { strategy: "jwt", maxAge: web.sessionMaxAge },
    useSecureCookies: web.secureCookies,
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "mastoc",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req): Promise<User | null> {
          const email = credentials?.email ?? "";
          const password = credentials?.password ?? "";
          if (!email || !password || email.length > 254 || password.length > 1024) throw new Error(INVALID_CREDENTIALS);
          const meta = requestMeta(req.headers ?? {});
          try {
            const { user, session } = await signIn(db, getConfig(), { email, password }, meta, "web");
            return {
              id: user.id,
              email: user.email,
              name: user.name,
              role: user.role,
              sid: session.id,
              sv: user.sessionVersion,
            };
          } catch (error) {
            // NextAuth hands the message to the sign-in form: keep it the API's (generic or lockout) message.
            if (error instanceof TRPCError) throw new Error(error.message);
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.role = user.role;
          token.sid = user.sid;
          token.sv = user.sv;
        }
        return token;
      },
      session({ session, token }) {
        session.user = {
          id: token.sub ?? "",
          email: token.email ?? "",
          name: token.name ?? null,
          role: token.role ?? "USER",
        };
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.sid) await revokeSession(db, token.sid, "logout");
      },
    },
  };
}
