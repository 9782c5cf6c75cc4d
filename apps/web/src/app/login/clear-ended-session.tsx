"use client";

import { signOut } from "next-auth/react";
import { useEffect } from "react";

/** Removes the cookie of a session the server has ended, so the browser is cleanly signed out. */
export function ClearEndedSession() {
  useEffect(() => {
    void signOut({ redirect: false });
  }, []);
  return null;
}
