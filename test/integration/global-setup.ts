import type { TestProject } from "vitest/node";
import { startTestPostgres } from "../helpers/test-postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = Number(process.env.FERRY_TEST_PG_PORT ?? 54331);
  const pgServer = await startTestPostgres(port);
  project.provide("pgUrl", pgServer.url);
  return () => pgServer.stop();
}
