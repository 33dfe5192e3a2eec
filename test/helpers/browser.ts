// Debian's chromium driven by playwright-core (no browser download: the system binary).
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = process.env.FERRY_CHROMIUM ?? "/usr/bin/chromium";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** Signs in through the console's sign-in page, as a person would; lands on /conversions. */
export async function signInPage(page: Page, consoleUrl: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${consoleUrl}/sign-in`);
  await page.getByLabel(/^Email/).fill(who.email);
  await page.getByLabel(/^Password/).fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/conversions$/);
}
