// A software WebAuthn authenticator for API tests: a P-256 key pair answering registration
// ("none" attestation) and sign-in ceremonies as a real authenticator would, with user presence
// and verification, encoded with @simplewebauthn's own CBOR and base64url helpers. Browsers are
// tested with Chromium's virtual authenticator (apps/web/e2e/passkeys.spec.ts).
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { isoBase64URL, isoCBOR } from "@simplewebauthn/server/helpers";

const u16 = (value: number) => Buffer.from([value >> 8, value & 0xff]);
const u32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
};
const b64 = (bytes: Uint8Array) => isoBase64URL.fromBuffer(new Uint8Array(bytes));
const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest();

/** Flags of authenticator data: user present, user verified, attested credential data. */
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export function softwareAuthenticator(appUrl: string, options: { userVerified?: boolean } = {}) {
  const url = new URL(appUrl);
  const rpIdHash = sha256(url.hostname);
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const credentialId = randomBytes(16);
  const id = b64(credentialId);
  const flags = UP | (options.userVerified === false ? 0 : UV);
  let counter = 0;
  let userHandle = "";

  const clientData = (type: string, challenge: string, origin = url.origin) =>
    Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));

  return {
    id,
    /** The answer to `passkeys.registrationOptions`. */
    register(creation: { challenge: string; user?: { id?: string } }, origin?: string) {
      userHandle = creation.user?.id ?? "";
      const coseKey = new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array(Buffer.from(jwk.x!, "base64url"))],
        [-3, new Uint8Array(Buffer.from(jwk.y!, "base64url"))],
      ]);
      const authData = Buffer.concat([
        rpIdHash,
        Buffer.from([flags | AT]),
        u32(counter),
        Buffer.alloc(16),
        u16(credentialId.length),
        credentialId,
        Buffer.from(isoCBOR.encode(coseKey)),
      ]);
      const attestation = new Map<string, unknown>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", new Uint8Array(authData)],
      ]);
      return {
        id,
        rawId: id,
        type: "public-key" as const,
        response: {
          clientDataJSON: b64(clientData("webauthn.create", creation.challenge, origin)),
          attestationObject: b64(isoCBOR.encode(attestation as never)),
          transports: ["internal"],
        },
        clientExtensionResults: {},
        authenticatorAttachment: "platform" as const,
      };
    },
    /** The answer to `passkeys.authenticationOptions`. */
    authenticate(request: { challenge: string }, origin?: string) {
      counter += 1;
      const authData = Buffer.concat([rpIdHash, Buffer.from([flags]), u32(counter)]);
      const data = clientData("webauthn.get", request.challenge, origin);
      const signature = sign("sha256", Buffer.concat([authData, sha256(data)]), privateKey);
      return {
        id,
        rawId: id,
        type: "public-key" as const,
        response: {
          clientDataJSON: b64(data),
          authenticatorData: b64(authData),
          signature: b64(signature),
          ...(userHandle ? { userHandle } : {}),
        },
        clientExtensionResults: {},
        authenticatorAttachment: "platform" as const,
      };
    },
  };
}
