#!/usr/bin/env python3
"""Sign in with mastoc: OpenID Connect authorization code + PKCE with a loopback redirect.

Python standard library only. Register a public client first (an administrator, at /admin/clients or
POST /api/v1/admin/oauth-clients) with the redirect URI http://127.0.0.1/callback (any port matches):

    python3 examples/oidc_client.py --issuer http://localhost:3000/oidc --client-id mc_...

It opens the browser at the provider, waits on 127.0.0.1 for the redirect, exchanges the code
(with the PKCE verifier) for tokens, and prints the user's claims from the userinfo endpoint.
"""
import argparse
import base64
import hashlib
import http.server
import json
import secrets
import urllib.parse
import urllib.request
import webbrowser


def get_json(url, token=None):
    request = urllib.request.Request(url, headers={"accept": "application/json"})
    if token:
        request.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def post_form(url, fields):
    body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=body, headers={"content-type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        problem = json.load(error)
        raise SystemExit(f"token endpoint refused: {problem.get('error')}: {problem.get('error_description')}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issuer", default="http://localhost:3000/oidc")
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--scope", default="openid profile email")
    args = parser.parse_args()

    discovery = get_json(f"{args.issuer}/.well-known/openid-configuration")

    # PKCE (S256) and state: fresh for every sign-in.
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    state = secrets.token_urlsafe(16)

    result = {}

    class Callback(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            if url.path != "/callback":
                self.send_error(404)
                return
            result.update({key: values[0] for key, values in urllib.parse.parse_qs(url.query).items()})
            self.send_response(200)
            self.send_header("content-type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write(b"Signed in: you can close this tab.")

        def log_message(self, *_):
            pass

    # Port 0: the system picks a free port; the provider accepts any port on a loopback redirect.
    server = http.server.HTTPServer(("127.0.0.1", 0), Callback)
    redirect_uri = f"http://127.0.0.1:{server.server_port}/callback"
    authorize = discovery["authorization_endpoint"] + "?" + urllib.parse.urlencode({
        "response_type": "code",
        "client_id": args.client_id,
        "redirect_uri": redirect_uri,
        "scope": args.scope,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    })
    print(f"Opening {authorize}")
    webbrowser.open(authorize)
    while "code" not in result and "error" not in result:
        server.handle_request()
    server.server_close()

    if result.get("error"):
        raise SystemExit(f"sign-in refused: {result['error']}: {result.get('error_description', '')}")
    if result.get("state") != state:
        raise SystemExit("state mismatch: ignoring this answer")
    if result.get("iss") != discovery["issuer"]:
        raise SystemExit("issuer mismatch: ignoring this answer")

    tokens = post_form(discovery["token_endpoint"], {
        "grant_type": "authorization_code",
        "code": result["code"],
        "redirect_uri": redirect_uri,
        "client_id": args.client_id,
        "code_verifier": verifier,
    })
    # The ID token is an ES256 JWT: verify it against jwks_uri with a JOSE library before trusting
    # its claims; here the claims come from the userinfo endpoint instead, over TLS in production.
    claims = get_json(discovery["userinfo_endpoint"], tokens["access_token"])
    print(json.dumps(claims, indent=2))
    # The same access token works as `Authorization: Bearer` on the mastoc API (tRPC and /api/v1).


if __name__ == "__main__":
    main()
