import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Ferry", template: "%s · Ferry" },
  description: "Convert virtual machines from Xen, VMware ESX and libvirt hosts to run on KVM.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the request makes every page render per request, so each gets proxy.ts's fresh
  // script nonce (a page prerendered at build time would carry none and could not hydrate).
  await headers();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
