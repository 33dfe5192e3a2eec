// Debian's chromium driven by playwright-core (no browser download: the system binary).
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.FERRY_CHROMIUM ?? "/usr/bin/chromium";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}
