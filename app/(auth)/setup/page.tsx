import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { db } from "@/server/db/client";
import { needsSetup } from "@/server/users/first-admin";
import { SetupForm } from "./setup-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Set up Ferry" };

export default async function SetupPage() {
  if (!(await needsSetup(db()))) redirect("/sign-in");
  return (
    <AuthCard title="Set up Ferry" description="Create the first administrator. After this, only admins add users and change roles.">
      <SetupForm />
    </AuthCard>
  );
}
