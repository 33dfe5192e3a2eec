"use client";
// Where a refused file delete is shown: one alert above the files table, full width, rather
// than squeezed into the row's last cell.
import { createContext, useContext, useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";

type Message = { path: string; message: string } | null;

const Report = createContext<(m: Message) => void>(() => {});

export function FileMessages({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<Message>(null);
  return (
    <Report.Provider value={setMessage}>
      {message ? (
        <div className="border-b border-line px-4 py-3 sm:px-5">
          <Alert tone="danger" title={`${message.path} was not deleted`}>
            {message.message}
          </Alert>
        </div>
      ) : null}
      {children}
    </Report.Provider>
  );
}

export function useFileMessage(): (m: Message) => void {
  return useContext(Report);
}
