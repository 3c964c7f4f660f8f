-- Custom (drizzle-kit emits neither): pg_trgm for subjects_name_trgm_idx, and the actor kind of events written before this column.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
ALTER TABLE "entry_events" ADD COLUMN "actor_kind" text DEFAULT 'system' NOT NULL;--> statement-breakpoint
UPDATE "entry_events" SET "actor_kind" = CASE WHEN "actor_user_id" IS NOT NULL THEN 'user' WHEN "actor_api_key_id" IS NOT NULL THEN 'api_key' ELSE 'system' END;--> statement-breakpoint
CREATE INDEX "entries_published_idx" ON "entries" USING btree ("published_at" DESC NULLS LAST,"id" DESC NULLS FIRST) WHERE "entries"."status" = 'published';--> statement-breakpoint
CREATE INDEX "entries_published_subject_idx" ON "entries" USING btree ("subject_id") WHERE "entries"."status" = 'published';--> statement-breakpoint
CREATE INDEX "subjects_name_trgm_idx" ON "subjects" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "entry_events" ADD CONSTRAINT "entry_events_actor_kind_ck" CHECK (actor_kind in ('user', 'api_key', 'system', 'public'));