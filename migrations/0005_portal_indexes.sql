-- pg_trgm (trigram operator classes) for subjects_name_trgm_idx; drizzle-kit does not emit extensions.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "entries_published_idx" ON "entries" USING btree ("published_at" DESC NULLS LAST,"id" DESC NULLS FIRST) WHERE "entries"."status" = 'published';--> statement-breakpoint
CREATE INDEX "entries_published_subject_idx" ON "entries" USING btree ("subject_id") WHERE "entries"."status" = 'published';--> statement-breakpoint
CREATE INDEX "subjects_name_trgm_idx" ON "subjects" USING gin ("name" gin_trgm_ops);