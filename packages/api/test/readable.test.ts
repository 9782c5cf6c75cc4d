import { describe, expect, it } from "vitest";
import { auditActionLabels, describeAuditAction, describeClient, describeSignInMethod } from "../src/readable";

describe("describeClient", () => {
  it.each([
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox 133 on Windows"],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      "Safari on iPhone",
    ],
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Chrome 131 on Linux",
    ],
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
      "Safari 18 on macOS",
    ],
    ["mastoc-cli/1.4.2 (linux; x64; node 20.20.0)", "mastoc CLI 1.4 on Linux"],
    ["mastoc-cli/0.1.0 (darwin; arm64)", "mastoc CLI 0.1 on macOS"],
    ["mastoc-cli/2", "mastoc CLI 2"],
    ["curl/8.5.0", "curl 8.5"],
    ["python-requests/2.32.3", "python-requests 2.32"],
    ["", "Unknown client"],
    [null, "Unknown client"],
    ["Mozilla/5.0", "Unknown client"],
    ["\u0000\u202e<script>", "Unknown client"],
  ])("%j reads as %j", (agent, label) => {
    expect(describeClient(agent)).toBe(label);
  });

  it("stays short for a huge hostile string", () => {
    expect(describeClient(`x/1 ${"(".repeat(100_000)}`)).toBe("x 1");
  });
});

describe("describeSignInMethod", () => {
  it.each([
    ["password", "Password"],
    ["password+totp", "Password and authenticator code"],
    ["password+recovery", "Password and recovery code"],
    ["passkey", "Passkey"],
    [null, null],
  ])("%j reads as %j", (method, label) => {
    expect(describeSignInMethod(method)).toBe(label);
  });
});

describe("describeAuditAction", () => {
  it("names every known action in words and keeps an unknown one as its code", () => {
    expect(describeAuditAction("auth.login.locked")).toBe("Sign-in refused: account locked");
    expect(describeAuditAction("auth.lockout")).toBe("Account locked after failed sign-ins");
    expect(describeAuditAction("something.new")).toBe("something.new");
    for (const label of Object.values(auditActionLabels)) expect(label).not.toMatch(/[._]/);
  });
});
