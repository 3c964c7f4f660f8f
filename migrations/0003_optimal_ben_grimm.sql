ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_key_scope_pk";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD PRIMARY KEY ("key");--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "digest" text DEFAULT '' NOT NULL;