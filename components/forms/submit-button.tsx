"use client";

import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "@/components/ui/button";

export type SubmitButtonProps = Omit<ButtonProps, "type">;

/** A form's submit button: shows a spinner and disables itself while the form action runs. */
export function SubmitButton({ variant = "primary", pending, ...rest }: SubmitButtonProps) {
  const status = useFormStatus();
  return <Button type="submit" variant={variant} pending={status.pending || pending} {...rest} />;
}
