-- Logs at scale. The line-numbering trigger (migration 20261201120000_live) ran its plpgsql
-- function for every inserted row, although appendLogs numbers its lines itself and only other
-- writers leave `line` at 0: with a WHEN clause the server skips the call for numbered rows
-- (measured with `npm run bench`: the function call was a large part of an insert's cost).
DROP TRIGGER "conversion_logs_number" ON "conversion_logs";
CREATE TRIGGER "conversion_logs_number" BEFORE INSERT ON "conversion_logs"
  FOR EACH ROW WHEN (NEW."line" = 0) EXECUTE FUNCTION "conversion_logs_number"();

-- The history list's status chips (and its total) counted the matching conversions on every
-- page: a scan of the whole table without filters (100,000 rows: 20-300 ms here). Triggers
-- keep the count per (status, creator, profile) instead; listConversions sums these rows when
-- no filter needs the conversions themselves (guest text, dates), and counts rows otherwise
-- (those filters are selective: the trigram and created_at indexes find few rows).
CREATE TABLE "conversion_counts" (
    "status" TEXT NOT NULL,
    "created_by_email" TEXT NOT NULL,
    -- '' for a conversion without a profile (a key column cannot be NULL)
    "profile" TEXT NOT NULL,
    "n" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "conversion_counts_pkey" PRIMARY KEY ("status", "created_by_email", "profile")
);
INSERT INTO "conversion_counts" ("status", "created_by_email", "profile", "n")
  SELECT "status", "created_by_email", coalesce("profile", ''), count(*) FROM "conversions" GROUP BY 1, 2, 3;

CREATE FUNCTION "conversion_counts_add"(s TEXT, e TEXT, p TEXT, d INTEGER) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "conversion_counts" AS k ("status", "created_by_email", "profile", "n") VALUES (s, e, coalesce(p, ''), d)
  ON CONFLICT ("status", "created_by_email", "profile") DO UPDATE SET "n" = k."n" + d;
$$;

CREATE FUNCTION "conversion_counts_track"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM "conversion_counts";
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM "conversion_counts_add"(NEW."status", NEW."created_by_email", NEW."profile", 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM "conversion_counts_add"(OLD."status", OLD."created_by_email", OLD."profile", -1);
  -- The two counter rows in key order, so two transactions moving conversions opposite ways
  -- (queued -> running, running -> queued) lock them in the same order and cannot deadlock.
  ELSIF (OLD."status", OLD."created_by_email", coalesce(OLD."profile", '')) < (NEW."status", NEW."created_by_email", coalesce(NEW."profile", '')) THEN
    PERFORM "conversion_counts_add"(OLD."status", OLD."created_by_email", OLD."profile", -1);
    PERFORM "conversion_counts_add"(NEW."status", NEW."created_by_email", NEW."profile", 1);
  ELSE
    PERFORM "conversion_counts_add"(NEW."status", NEW."created_by_email", NEW."profile", 1);
    PERFORM "conversion_counts_add"(OLD."status", OLD."created_by_email", OLD."profile", -1);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "conversion_counts_insert_delete" AFTER INSERT OR DELETE ON "conversions"
  FOR EACH ROW EXECUTE FUNCTION "conversion_counts_track"();
CREATE TRIGGER "conversion_counts_update" AFTER UPDATE OF "status", "created_by_email", "profile" ON "conversions"
  FOR EACH ROW WHEN ((OLD."status", OLD."created_by_email", OLD."profile") IS DISTINCT FROM (NEW."status", NEW."created_by_email", NEW."profile"))
  EXECUTE FUNCTION "conversion_counts_track"();
CREATE TRIGGER "conversion_counts_truncate" AFTER TRUNCATE ON "conversions"
  FOR EACH STATEMENT EXECUTE FUNCTION "conversion_counts_track"();
