// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, shut off from the network: the browser tests and scripts/screenshot.mjs.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where Debian's chromium package installs the browser; CHROMIUM names another. */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** No GPU, no QUIC, no sync, updates or background requests: a browser that only renders the file it is given. */
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM);
}

/** A fresh browser profile under `tempDir` (nothing of a user's own), launched with the flags above. */
export async function launchBrowser(tempDir: string): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const context = await chromium.launchPersistentContext(join(tempDir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1100, height: 900 },
    timeout: 60_000,
  });
  return { context, close: () => context.close() };
}

/** What a loaded page did that a self-contained report must never do. */
export interface PageWatch {
  /** Every request for a URL other than file:, refused before it left. */
  blocked: string[];
  /** Console errors and uncaught exceptions (a CSP violation is one). */
  errors: string[];
}

/** Opens `file` (a path) in a new page; every non-file request is aborted and recorded, and so is every console error. */
export async function openReport(context: BrowserContext, file: string): Promise<{ page: Page; watch: PageWatch }> {
  const watch: PageWatch = { blocked: [], errors: [] };
  const page = await context.newPage();
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    watch.blocked.push(url);
    return route.abort();
  });
  // a request the route never saw (if any) is still a request that left the page
  page.on('request', (request) => { const url = request.url(); if (!url.startsWith('file:') && !watch.blocked.includes(url)) watch.blocked.push(url); });
  page.on('console', (message) => { if (message.type() === 'error') watch.errors.push(message.text()); });
  page.on('pageerror', (error) => watch.errors.push(String(error)));
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  return { page, watch };
}

export type { Browser, Page };
