-- History and dashboard: the conversions list is keyset-paginated on (created_at, number) or
-- (guest_name, number), filtered by status, who started it, profile and a date range, and
-- searched by guest-name substring; the dashboard aggregates by finished_at. Each filter gets an
-- index that also yields the list's order, so a page is an index range scan at any depth.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "conversions_created_at_number_idx" ON "conversions" ("created_at", "number");
CREATE INDEX "conversions_status_created_at_number_idx" ON "conversions" ("status", "created_at", "number");
CREATE INDEX "conversions_created_by_email_created_at_number_idx" ON "conversions" ("created_by_email", "created_at", "number");
CREATE INDEX "conversions_profile_created_at_number_idx" ON "conversions" ("profile", "created_at", "number");
CREATE INDEX "conversions_guest_name_number_idx" ON "conversions" ("guest_name", "number");
-- ILIKE '%text%' on guest names: a trigram index answers substring searches without a scan.
CREATE INDEX "conversions_guest_name_trgm_idx" ON "conversions" USING GIN ("guest_name" gin_trgm_ops);
CREATE INDEX "conversions_finished_at_idx" ON "conversions" ("finished_at");
