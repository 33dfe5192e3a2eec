"use client";
// Signs in through better-auth's endpoint from the browser, so the per-address rate limit
// applies to every attempt.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormMessage, type FormResult } from "@/components/forms/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [state, setState] = useState<FormResult | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setState(null);
    try {
      const res = await fetch("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
      });
      if (res.ok) {
        router.replace(next);
        router.refresh();
        return;
      }
      if (res.status === 429) {
        const wait = res.headers.get("x-retry-after");
        setState({ ok: false, message: `Too many sign-in attempts from this address. Try again in ${wait ?? "a minute"}${wait ? " seconds" : ""}.` });
      } else if (res.status === 401) {
        setState({ ok: false, message: "Wrong email or password." });
      } else {
        const body = (await res.json().catch(() => null)) as { message?: string } | null;
        setState({ ok: false, message: body?.message ?? `Sign-in failed (HTTP ${res.status}).` });
      }
    } catch {
      setState({ ok: false, message: "The console did not answer. Check that it is running and try again." });
    }
    setPending(false);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <Field id="email" label="Email" required>
        <Input name="email" type="email" autoComplete="username" autoFocus />
      </Field>
      <Field id="password" label="Password" required>
        <Input name="password" type="password" autoComplete="current-password" />
      </Field>
      <Button type="submit" variant="primary" className="w-full" pending={pending} pendingLabel="Signing in…">
        Sign in
      </Button>
    </form>
  );
}
