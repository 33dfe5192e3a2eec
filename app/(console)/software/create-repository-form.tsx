"use client";
import { useActionState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { CardBody, CardFooter } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { createRepositoryAction } from "./actions";

export function CreateRepositoryForm() {
  const [state, action] = useActionState(createRepositoryAction, { ok: false });
  return (
    <form action={action} aria-label="New repository">
      <CardBody className="space-y-4">
        <FormMessage state={state} />
        <Field id="repo-name" label="Name" required error={state.fieldErrors?.name}>
          <Input name="name" autoComplete="off" placeholder="Site RPMs" />
        </Field>
        <Field id="repo-description" label="Description" optional error={state.fieldErrors?.description}>
          <Input name="description" autoComplete="off" placeholder="Kernels and tools for RHEL guests" />
        </Field>
      </CardBody>
      <CardFooter>
        <SubmitButton pendingLabel="Creating…">Create repository</SubmitButton>
      </CardFooter>
    </form>
  );
}
