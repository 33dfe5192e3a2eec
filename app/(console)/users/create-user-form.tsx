"use client";
import { useActionState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { CardBody, CardFooter } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { createUserAction } from "./actions";

export function CreateUserForm({ roles }: { roles: { value: string; description: string }[] }) {
  const [state, action] = useActionState(createUserAction, { ok: false });
  return (
    <form action={action}>
      <CardBody className="grid gap-4 sm:grid-cols-2">
        <FormMessage state={state} className="sm:col-span-2" />
        <Field id="new-name" label="Name" required error={state.fieldErrors?.name}>
          <Input name="name" autoComplete="off" />
        </Field>
        <Field id="new-email" label="Email" required error={state.fieldErrors?.email}>
          <Input name="email" type="email" autoComplete="off" />
        </Field>
        <Field id="new-role" label="Role" required hint="Viewers watch, operators run conversions, admins manage everything." error={state.fieldErrors?.role}>
          <Select name="role" defaultValue="viewer">
            {roles.map((r) => (
              <option key={r.value} value={r.value} title={r.description}>
                {r.value}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="new-password" label="Initial password" required hint="At least 8 characters. Share it with them privately." error={state.fieldErrors?.password}>
          <Input name="password" type="password" autoComplete="new-password" />
        </Field>
      </CardBody>
      <CardFooter>
        <SubmitButton pendingLabel="Creating…">Create user</SubmitButton>
      </CardFooter>
    </form>
  );
}
