#!/usr/bin/env python3
"""Calls the mastoc accounts REST API with the Python standard library only, the way the mastoc
desktop app does: register, sign in, read the profile, refresh the tokens, sign out, and (as an
administrator) change the new account's role.

    python3 examples/rest_client.py --base-url http://localhost:3000

The administrator's credentials come from MASTOC_ADMIN_EMAIL and MASTOC_ADMIN_PASSWORD.
Exits with status 1 at the first step that does not answer as documented.
"""
import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request


class ApiError(Exception):
    """A problem-details answer (RFC 9457): status, title, detail and field errors."""

    def __init__(self, status, problem):
        self.status = status
        self.problem = problem
        super().__init__(f"{status} {problem.get('title', '')}: {problem.get('detail', '')}")


class MastocClient:
    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/") + "/api/v1"
        self.access_token = None
        self.refresh_token = None

    def request(self, method, path, body=None, expected=(200,)):
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        payload = json.loads(raw) if raw else None
        if status not in expected:
            raise ApiError(status, payload or {})
        return payload

    def login(self, email, password, otp=None):
        """Signs in; an account with two-factor authentication also needs `otp` (a code or a recovery code)."""
        tokens = self.request("POST", "/auth/login", {"email": email, "password": password})
        if tokens.get("mfa_required"):
            if otp is None:
                raise ApiError(401, {"detail": "This account asks for a two-factor code: pass otp"})
            tokens = self.request("POST", "/auth/login/mfa", {"mfa_token": tokens["mfa_token"], "code": otp})
        self.access_token, self.refresh_token = tokens["access_token"], tokens["refresh_token"]
        return tokens

    def refresh(self):
        tokens = self.request("POST", "/auth/refresh", {"refresh_token": self.refresh_token})
        self.access_token, self.refresh_token = tokens["access_token"], tokens["refresh_token"]
        return tokens


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=os.environ.get("MASTOC_URL", "http://localhost:3000"))
    args = parser.parse_args()
    admin_email = os.environ.get("MASTOC_ADMIN_EMAIL")
    admin_password = os.environ.get("MASTOC_ADMIN_PASSWORD")
    if not admin_email or not admin_password:
        sys.exit("Set MASTOC_ADMIN_EMAIL and MASTOC_ADMIN_PASSWORD to an administrator's credentials.")

    username = f"py{int(time.time() * 1000):x}"
    password = "Python-Client-Arete-47"
    user = MastocClient(args.base_url)
    try:
        account = user.request(
            "POST", "/auth/register",
            {"email": f"{username}@example.com", "username": username, "password": password},
            expected=(201,),
        )
        print(f"registered {account['username']} ({account['id']})")
        try:
            user.request("POST", "/auth/register",
                         {"email": f"{username}@example.com", "username": username, "password": password},
                         expected=(201,))
            raise SystemExit("a duplicate registration was accepted")
        except ApiError as error:
            assert error.status == 409, error
            print(f"duplicate refused: {error.status} {[e['field'] for e in error.problem.get('errors', [])]}")

        tokens = user.login(username, password)
        print(f"signed in: {tokens['token_type']} token, expires in {tokens['expires_in']} s")
        me = user.request("GET", "/auth/me")
        assert me["username"] == username and me["permissions"]["profile.manageOwn"], me
        print(f"me: {me['username']} role {me['role']}")
        user.refresh()
        print("tokens refreshed")
        user.request("POST", "/auth/logout", expected=(204,))
        try:
            user.request("GET", "/auth/me")
            raise SystemExit("the token still works after signing out")
        except ApiError as error:
            assert error.status == 401, error
            print("signed out: the token is refused (401)")

        admin = MastocClient(args.base_url)
        admin.login(admin_email, admin_password)
        changed = admin.request("PUT", f"/admin/users/{account['id']}/role", {"role": "MODERATOR"})
        assert changed["role"] == "MODERATOR", changed
        print(f"role changed to {changed['role']}")
        admin.request("DELETE", f"/admin/users/{account['id']}", expected=(204,))
        print("account deleted")
    except (ApiError, AssertionError, urllib.error.URLError) as error:
        print(f"failed: {error}", file=sys.stderr)
        return 1
    print("all steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
