-- Live logs. Every stored line gets `line`: its number within the conversion, 1, 2, 3, ...
-- across attempts, with no holes. appendLogs assigns it under the conversion row's lock, so
-- lines are numbered in commit order; a browser that has line N knows the next one is N + 1,
-- which is what makes "no gap, no duplicate" checkable on the client. `log_lines` on the
-- conversion is the counter (the highest line given).
ALTER TABLE "conversions" ADD COLUMN "log_lines" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "conversion_logs" ADD COLUMN "line" INTEGER;
UPDATE "conversion_logs" l SET "line" = r.rn
  FROM (SELECT id, row_number() OVER (PARTITION BY conversion_id ORDER BY attempt, seq, id) AS rn FROM "conversion_logs") r
  WHERE l.id = r.id;
UPDATE "conversions" c SET "log_lines" = m.n
  FROM (SELECT conversion_id, max("line") AS n FROM "conversion_logs" GROUP BY conversion_id) m
  WHERE c.id = m.conversion_id;
ALTER TABLE "conversion_logs" ALTER COLUMN "line" SET NOT NULL;
ALTER TABLE "conversion_logs" ALTER COLUMN "line" SET DEFAULT 0;
CREATE UNIQUE INDEX "conversion_logs_conversion_id_line_key" ON "conversion_logs"("conversion_id", "line");

-- appendLogs numbers its lines itself (one counter update per batch). Any other writer that
-- leaves `line` at its default 0 gets the next number here, under the same row lock.
CREATE FUNCTION "conversion_logs_number"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."line" = 0 THEN
    UPDATE "conversions" SET "log_lines" = "log_lines" + 1 WHERE id = NEW."conversion_id" RETURNING "log_lines" INTO NEW."line";
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "conversion_logs_number" BEFORE INSERT ON "conversion_logs" FOR EACH ROW EXECUTE FUNCTION "conversion_logs_number"();

-- @socket.io/postgres-adapter: payloads over NOTIFY's 8 KB limit are stored here for the other
-- console processes to read (the adapter deletes old rows itself).
CREATE TABLE "socket_io_attachments" (
    "id" BIGSERIAL NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" BYTEA NOT NULL,
    CONSTRAINT "socket_io_attachments_pkey" PRIMARY KEY ("id")
);
