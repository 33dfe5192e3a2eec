"use client";
// Where an element form reports its outcome once it has closed: one message at the top of the
// section ("Saved as revision 7: changed profile rhev"), rather than in a row that just went away.
import { createContext, useContext, useState, type ReactNode } from "react";
import { ActionMessage, type ActionResult } from "./action-message";

const Report = createContext<(state: ActionResult | null) => void>(() => {});

export function Flash({ children }: { children: ReactNode }) {
  const [state, setState] = useState<ActionResult | null>(null);
  return (
    <Report.Provider value={setState}>
      {state ? <ActionMessage state={state} className="border-b border-line px-4 py-3 sm:px-5" /> : null}
      {children}
    </Report.Provider>
  );
}

export function useFlash(): (state: ActionResult | null) => void {
  return useContext(Report);
}
