// oidc-provider's storage on Prisma: a thin layer over @mastoc/api's oidc store (one table for the
// library's objects) and the OAuthClient table (clients, read only here).
import type { Adapter, AdapterPayload } from "oidc-provider";
import { countEvent, findClient, oidcStore } from "@mastoc/api";
import { getDatabase } from "@mastoc/db";
import { clientMetadata } from "./clients";
import { loadOidcLibrary } from "./library";

/** The device flow's polling interval (RFC 8628's default, which the provider announces by omission). */
export const DEVICE_POLL_INTERVAL_SECONDS = 5;

export class PrismaAdapter implements Adapter {
  constructor(private readonly model: string) {}

  private get db() {
    return getDatabase().db;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    await oidcStore.upsertPayload(this.db, this.model, id, payload as oidcStore.StoredPayload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (this.model === "Client") {
      const client = await findClient(this.db, id);
      return client ? (clientMetadata(client, await this.clientSecretHash(id)) as AdapterPayload) : undefined;
    }
    if (this.model === "DeviceCode" && !oidcStore.isStoredKeyId(id)) await this.refuseFastPolling(id);
    return (await oidcStore.findPayload(this.db, this.model, id)) as AdapterPayload | undefined;
  }

  /**
   * RFC 8628's slow_down, which the library does not enforce: a device code is found by id only
   * when its client polls the token endpoint, so two lookups within the interval are a client
   * polling too fast (the device pages find it by the id `findByUserCode` gave, which is not counted). The count is the database's, shared by every instance.
   */
  private async refuseFastPolling(id: string) {
    const window = await countEvent(
      this.db,
      `oidc-poll:${oidcStore.oidcKey("DeviceCode", id)}`,
      DEVICE_POLL_INTERVAL_SECONDS,
    );
    if (window.count > 1) throw new (await loadOidcLibrary()).errors.SlowDown();
  }

  private async clientSecretHash(id: string) {
    const row = await this.db.oAuthClient.findUnique({ where: { id }, select: { secretHash: true } });
    return row?.secretHash ?? null;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return (await oidcStore.findPayloadByUserCode(this.db, userCode)) as AdapterPayload | undefined;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return (await oidcStore.findPayloadByUid(this.db, uid)) as AdapterPayload | undefined;
  }

  /**
   * Decided by the database: of two concurrent exchanges of one code (or device code, or refresh
   * token), exactly one consumes it; the other is refused as an invalid grant.
   */
  async consume(id: string): Promise<void> {
    if (!(await oidcStore.consumePayload(this.db, this.model, id))) {
      throw new (await loadOidcLibrary()).errors.InvalidGrant("grant request is invalid");
    }
  }

  async destroy(id: string): Promise<void> {
    await oidcStore.destroyPayload(this.db, this.model, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await oidcStore.revokeGrant(this.db, this.model, grantId);
  }
}
