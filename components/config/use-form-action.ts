"use client";
// useActionState for the configuration forms, submitted without React's automatic form reset:
// a refused edit keeps what the admin typed, so they can fix the one field named in the error.
import { startTransition, useActionState, type FormEvent } from "react";

type Action<S> = (state: Awaited<S>, formData: FormData) => Promise<S>;

export function useFormAction<S extends object>(action: Action<S>, initial: Awaited<S>): [state: Awaited<S>, onSubmit: (e: FormEvent<HTMLFormElement>) => void, pending: boolean, submit: (formData: FormData) => void] {
  const [state, dispatch, pending] = useActionState(action, initial);
  const submit = (formData: FormData) => startTransition(() => dispatch(formData));
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter;
    submit(new FormData(e.currentTarget, submitter instanceof HTMLButtonElement ? submitter : null));
  };
  return [state, onSubmit, pending, submit];
}
