-- What a running attempt created (or will create) outside its scratch directory: the output
-- volumes and files. When the agent disappears mid-run the conversion is interrupted and these
-- stay recorded, so the next attempt (on whichever agent claims it) removes them before copying
-- again instead of reusing a half-written volume.
ALTER TABLE "conversions" ADD COLUMN "outputs" JSONB;
