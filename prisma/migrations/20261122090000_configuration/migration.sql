-- Central configuration layers with revisions, and software repositories.

CREATE TABLE "repositories" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "repositories_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "repositories_name_key" ON "repositories"("name");

CREATE TABLE "repository_files" (
    "id" TEXT NOT NULL,
    "repository_id" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "uploaded_by_id" TEXT,
    "uploaded_by_email" TEXT NOT NULL,
    "uploaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "repository_files_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "repository_files_size_check" CHECK ("size" >= 0),
    CONSTRAINT "repository_files_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX "repository_files_repository_id_path_key" ON "repository_files"("repository_id", "path");
ALTER TABLE "repository_files" ADD CONSTRAINT "repository_files_repository_id_fkey" FOREIGN KEY ("repository_id") REFERENCES "repositories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "config_layers" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "repository_id" TEXT,
    "head_revision" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "config_layers_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "config_layers_kind_check" CHECK ("kind" IN ('vendor', 'team'))
);
CREATE UNIQUE INDEX "config_layers_name_key" ON "config_layers"("name");
-- Deferred, so a reorder can swap positions inside one transaction.
ALTER TABLE "config_layers" ADD CONSTRAINT "config_layers_position_key" UNIQUE ("position") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "config_layers" ADD CONSTRAINT "config_layers_repository_id_fkey" FOREIGN KEY ("repository_id") REFERENCES "repositories"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "config_revisions" (
    "id" BIGSERIAL NOT NULL,
    "layer_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "model" JSONB NOT NULL,
    "summary" TEXT NOT NULL,
    "author_id" TEXT,
    "author_email" TEXT NOT NULL,
    "restored_from" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "config_revisions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "config_revisions_layer_id_number_key" ON "config_revisions"("layer_id", "number");
ALTER TABLE "config_revisions" ADD CONSTRAINT "config_revisions_layer_id_fkey" FOREIGN KEY ("layer_id") REFERENCES "config_layers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
