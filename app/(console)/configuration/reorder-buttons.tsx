"use client";
// Up and down for a team layer: each button sends the whole new order of team layers (the
// Vendor layer always stays last).
import { useEffect } from "react";
import { useFlash } from "@/components/config/flash";
import { useFormAction } from "@/components/config/use-form-action";
import { Button } from "@/components/ui/button";
import { reorderLayersAction } from "./actions";

function swapped(order: string[], i: number, j: number): string[] {
  const next = [...order];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

export function ReorderButtons({ order, index, name }: { order: string[]; index: number; name: string }) {
  const [state, onSubmit, pending] = useFormAction(reorderLayersAction, { ok: false });
  const flash = useFlash();
  useEffect(() => {
    if (state.message) flash(state);
  }, [state, flash]);
  const move = (to: number, label: string, arrow: string) => (
    <form onSubmit={onSubmit} className="inline-flex" aria-label={`Move ${name} ${label}`}>
      {swapped(order, index, to).map((id) => (
        <input key={id} type="hidden" name="layerId" value={id} />
      ))}
      <Button type="submit" size="sm" variant="ghost" className="px-2" disabled={pending} aria-label={`Move ${name} ${label}`} title={label === "up" ? "Search it earlier" : "Search it later"}>
        {arrow}
      </Button>
    </form>
  );
  return (
    <span className="inline-flex">
      {index > 0 ? move(index - 1, "up", "↑") : <span className="inline-block w-8" />}
      {index < order.length - 1 ? move(index + 1, "down", "↓") : <span className="inline-block w-8" />}
    </span>
  );
}
