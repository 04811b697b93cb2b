import { randomUUID } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Allowances for private webhook destinations become per owner and per `scheme://host:port` (or
 * URL prefix), instead of a bare host allowed for every owner, every port and every scheme.
 *
 * Existing rows are migrated explicitly: each host allowed before becomes, for every endpoint that
 * used it then, an allowance of that endpoint's own `scheme://host:port/` for that endpoint's
 * owner, so what was delivered is still delivered and nothing else is opened. A host no endpoint
 * used is dropped (it named no owner to give it to): an admin gives it again to the owner who needs
 * it. The code below is self-contained (not the service's functions), so later changes there do
 * not change what this migration did.
 */
export class WebhookAllowances1796693182795 implements MigrationInterface {
  name = 'WebhookAllowances1796693182795';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "webhook_allowed_hosts" RENAME TO "webhook_allowed_hosts_by_host"`);
    await q.query(
      `CREATE TABLE "webhook_allowed_hosts" ("id" uuid NOT NULL, "owner_kind" character varying(10) NOT NULL, "owner_id" uuid NOT NULL, "url_prefix" character varying(2000) NOT NULL, "note" character varying(200), "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b78dd583453e9ac6a7df1887005" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "idx_webhook_allowed_hosts_owner" ON "webhook_allowed_hosts"  ("owner_kind", "owner_id", "url_prefix") `);
    const hosts: Array<{ host: string; note: string | null; created_by: string | null; created_at: Date }> = await q.query(
      `SELECT host, note, created_by, created_at FROM "webhook_allowed_hosts_by_host"`,
    );
    const byHost = new Map(hosts.map((h) => [h.host, h]));
    const endpoints: Array<{ owner_kind: string; owner_id: string; url: string }> = await q.query(
      `SELECT owner_kind, owner_id, url FROM "webhook_endpoints" ORDER BY created_at, id`,
    );
    for (const e of endpoints) {
      let url: URL;
      try {
        url = new URL(e.url);
      } catch {
        continue;
      }
      // The host as the old check compared it: lower case, without brackets.
      const allowed = byHost.get(url.hostname.replace(/^\[|\]$/g, '').toLowerCase());
      if (!allowed) continue;
      const prefix = `${url.protocol}//${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}/`;
      const note = (allowed.note ?? `was: host ${allowed.host} allowed for every owner`).slice(0, 200);
      await q.query(
        `INSERT INTO "webhook_allowed_hosts" ("id", "owner_kind", "owner_id", "url_prefix", "note", "created_by", "created_at") VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT ("owner_kind", "owner_id", "url_prefix") DO NOTHING`,
        [randomUUID(), e.owner_kind, e.owner_id, prefix, note, allowed.created_by, allowed.created_at],
      );
    }
    await q.query(`DROP TABLE "webhook_allowed_hosts_by_host"`);
  }

  /** Back to hosts allowed for everyone: each host some allowance names (which widens them again, as the old code did). */
  async down(q: QueryRunner): Promise<void> {
    const rows: Array<{ url_prefix: string; note: string | null; created_by: string | null; created_at: Date }> = await q.query(
      `SELECT url_prefix, note, created_by, created_at FROM "webhook_allowed_hosts" ORDER BY created_at`,
    );
    await q.query(`DROP TABLE "webhook_allowed_hosts"`);
    await q.query(
      `CREATE TABLE "webhook_allowed_hosts" ("host" character varying(253) NOT NULL, "note" character varying(200), "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c212cb7d31659ef9770abdbfade" PRIMARY KEY ("host"))`,
    );
    for (const r of rows) {
      const host = new URL(r.url_prefix).hostname.replace(/^\[|\]$/g, '').toLowerCase();
      await q.query(
        `INSERT INTO "webhook_allowed_hosts" ("host", "note", "created_by", "created_at") VALUES ($1, $2, $3, $4) ON CONFLICT ("host") DO NOTHING`,
        [host, r.note, r.created_by, r.created_at],
      );
    }
  }
}
