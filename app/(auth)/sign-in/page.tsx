import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { actorFromHeaders } from "@/server/auth/actor";
import { db } from "@/server/db/client";
import { needsSetup } from "@/server/users/first-admin";
import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await needsSetup(db())) redirect("/setup");
  if (await actorFromHeaders(await headers())) redirect("/conversions");
  const { next } = await searchParams;
  // Only same-site paths: never an open redirect.
  const target = next && next.startsWith("/") && !next.startsWith("//") ? next : "/conversions";
  return (
    <AuthCard title="Sign in to Ferry" description="Use the account an admin created for you." footer={<>Forgot your password? An admin can set a new one.</>}>
      <SignInForm next={target} />
    </AuthCard>
  );
}
