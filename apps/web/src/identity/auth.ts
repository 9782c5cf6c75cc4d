import type { NextAuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { TRPCError } from "@trpc/server";
import { cookies } from "next/headers";
import {
  completeSecondFactor,
  getConfig,
  mapDatabaseError,
  MFA_REQUIRED,
  revokeSession,
  said,
  signIn,
  signInWithPasskey,
  textOf,
} from "@mastoc/api";
import { localeFromCookie, resolveLocale } from "@mastoc/api/i18n";
import { passkeyAuthenticationResponseSchema } from "@mastoc/api/schemas";
import type { AuthenticationResponseJSON } from "@simplewebauthn/browser";
import { getDatabase } from "@mastoc/db";
import { webConfig } from "./env";
import { requestMeta, webSessionClaims } from "./request";

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

/** The passkey answer of the sign-in form, or null when it is not one (too large, not JSON, wrong shape). */
function passkeyResponse(raw: string): AuthenticationResponseJSON | null {
  if (raw.length > 100_000) return null;
  try {
    const parsed = passkeyAuthenticationResponseSchema.safeParse(JSON.parse(raw));
    return parsed.success ? (parsed.data as unknown as AuthenticationResponseJSON) : null;
  } catch {
    return null;
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
          code: { label: "Authentication code", type: "text" },
          passkey: { label: "Passkey", type: "text" },
        },
        // Two steps for an account with two-factor authentication: the password step keeps the
        // challenge token in an HttpOnly, SameSite=Strict cookie and answers MFA_REQUIRED; the
        // code step (`code` alone) exchanges that cookie's token and the code for the session.
        async authorize(credentials, req): Promise<User | null> {
          const meta = requestMeta(req.headers ?? {});
          // The sign-in form shows what is thrown here: in the page's language (the account, not
          // yet known, has no say), and as generic in French as in English.
          const header = (name: string) => {
            const value: unknown = req.headers?.[name];
            return typeof value === "string" ? value : null;
          };
          const locale = resolveLocale({
            cookie: localeFromCookie(header("cookie")),
            acceptLanguage: header("accept-language"),
            fallback: getConfig().DEFAULT_LOCALE,
          });
          const refused = (key: "auth.invalidCredentials" | "auth.invalidMfa" | "auth.passkeyRefused") =>
            new Error(said(key)(locale));
          const jar = await cookies();
          const signedIn = async (
            user: { id: string; email: string; name: string | null; role: string; sessionVersion: number },
            sid: string,
          ) => {
            // Signing in again in a browser that held a session (another account, or a fresh sign-in
            // an app asked for) replaces it: its cookie is overwritten, so nothing could use or end it.
            const previous = await webSessionClaims(req.headers ?? {});
            if (previous && previous.sid !== sid) await revokeSession(db, previous.sid, "replaced");
            return {
              id: user.id,
              email: user.email,
              name: user.name,
              role: user.role,
              sid,
              sv: user.sessionVersion,
            };
          };
          try {
            // A passkey: the browser's answer to a sign-in ceremony, as JSON.
            if (credentials?.passkey) {
              const response = passkeyResponse(credentials.passkey);
              if (!response) throw refused("auth.passkeyRefused");
              const { user, session } = await signInWithPasskey(db, getConfig(), response, meta, "web");
              return signedIn(user, session.id);
            }
            const code = credentials?.code ?? "";
            if (code) {
              const mfaToken = jar.get(web.mfaCookie)?.value;
              if (!mfaToken || code.length > 32) throw refused("auth.invalidMfa");
              const { user, session } = await completeSecondFactor(db, getConfig(), { mfaToken, code }, meta, "web");
              jar.delete(web.mfaCookie);
              return signedIn(user, session.id);
            }
            const email = credentials?.email ?? "";
            const password = credentials?.password ?? "";
            if (!email || !password || email.length > 254 || password.length > 1024)
              throw refused("auth.invalidCredentials");
            const result = await signIn(db, getConfig(), { email, password }, meta, "web");
            if (result.status === "mfa-required") {
              jar.set(web.mfaCookie, result.challenge.mfa_token, {
                httpOnly: true,
                sameSite: "strict",
                secure: web.secureCookies,
                path: "/",
                maxAge: result.challenge.expires_in,
              });
              throw new Error(MFA_REQUIRED);
            }
            return signedIn(result.user, result.session.id);
          } catch (error) {
            // NextAuth hands the message to the sign-in form: keep it the API's (generic or lockout) message.
            if (error instanceof TRPCError) throw new Error(textOf(error)(locale));
            // An unavailable database says so, rather than passing the driver's message to the form.
            const unavailable = mapDatabaseError(error);
            if (unavailable) throw new Error(textOf(unavailable)(locale));
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
