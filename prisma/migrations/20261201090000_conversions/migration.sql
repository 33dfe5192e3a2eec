-- Conversions, their log lines, and the agents (with their tokens) that run them.

CREATE TABLE "agent_tokens" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_by_id" TEXT,
    "created_by_email" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "agent_tokens_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "agent_tokens_token_hash_check" CHECK ("token_hash" ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX "agent_tokens_token_hash_key" ON "agent_tokens"("token_hash");

CREATE TABLE "agents" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "token_id" TEXT,
    "capabilities" JSONB NOT NULL DEFAULT '{}',
    "concurrency" INTEGER NOT NULL DEFAULT 1,
    "version" TEXT NOT NULL DEFAULT '',
    "hostname" TEXT NOT NULL DEFAULT '',
    "registered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_heartbeat_at" TIMESTAMPTZ(3),
    "retired_at" TIMESTAMPTZ(3),
    CONSTRAINT "agents_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "agents_kind_check" CHECK ("kind" IN ('embedded', 'remote')),
    CONSTRAINT "agents_concurrency_check" CHECK ("concurrency" >= 1)
);
CREATE UNIQUE INDEX "agents_name_key" ON "agents"("name");
ALTER TABLE "agents" ADD CONSTRAINT "agents_token_id_fkey" FOREIGN KEY ("token_id") REFERENCES "agent_tokens"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "conversions" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "guest_name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "dry_run" BOOLEAN NOT NULL DEFAULT false,
    "request" JSONB NOT NULL,
    "profile" TEXT,
    "config_revisions" JSONB,
    "plan" JSONB,
    "result" JSONB,
    "error_code" TEXT,
    "error" TEXT,
    "progress" JSONB,
    "agent_id" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "created_by_id" TEXT,
    "created_by_email" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "conversions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "conversions_status_check" CHECK ("status" IN ('queued', 'running', 'planned', 'succeeded', 'failed', 'cancelled', 'interrupted'))
);
CREATE UNIQUE INDEX "conversions_number_key" ON "conversions"("number");
CREATE INDEX "conversions_status_created_at_idx" ON "conversions"("status", "created_at");
CREATE INDEX "conversions_agent_id_status_idx" ON "conversions"("agent_id", "status");
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "conversion_logs" (
    "id" BIGSERIAL NOT NULL,
    "conversion_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "level" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    CONSTRAINT "conversion_logs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "conversion_logs_level_check" CHECK ("level" IN ('debug', 'info', 'warn', 'error'))
);
CREATE UNIQUE INDEX "conversion_logs_conversion_id_attempt_seq_key" ON "conversion_logs"("conversion_id", "attempt", "seq");
ALTER TABLE "conversion_logs" ADD CONSTRAINT "conversion_logs_conversion_id_fkey" FOREIGN KEY ("conversion_id") REFERENCES "conversions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
