import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SubmitButton } from "@/components/forms/submit-button";
import { ButtonLink } from "@/components/ui/button";
import { actorFromHeaders } from "@/server/auth/actor";
import { signOutAction } from "../../(console)/actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign out" };

// A page of its own so a bookmark or a link can end the session; signing out is still a POST.
export default async function SignOutPage() {
  const actor = await actorFromHeaders(await headers());
  if (!actor) redirect("/sign-in");
  return (
    <AuthCard title="Sign out" description={`You are signed in as ${actor.email}.`}>
      <form action={signOutAction} className="flex gap-2">
        <SubmitButton className="flex-1" pendingLabel="Signing out…">Sign out</SubmitButton>
        <ButtonLink href="/conversions" className="flex-1">Stay signed in</ButtonLink>
      </form>
    </AuthCard>
  );
}
