// Writes docs/img/html-report.png: the --html report of a shipped fixture, as headless Chromium draws it (run after npm run build).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumInstalled, CHROMIUM, launchBrowser, openReport } from '../dist/test/helpers/browser.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// a log with a train and a validation curve, a baseline and a finding, so the picture shows every part of the page
const LOG = process.argv[2] ? resolve(process.argv[2]) : 'fixtures/patterns/spike/positive-pretrain-spike-at-6000.csv';
const OUT = resolve(process.argv[3] ?? join(ROOT, 'docs/img/html-report.png'));
// the README shows the page's top (header, verdict, chart, the first finding) at a width a laptop screen has
const VIEW = { width: 900, height: 760 };

if (!chromiumInstalled()) {
  process.stderr.write(`screenshot: no browser at ${CHROMIUM}; install Debian's chromium (apt-get install chromium) or set CHROMIUM\n`);
  process.exit(2);
}
const temp = mkdtempSync(join(tmpdir(), 'losscurve-shot-'));
try {
  const html = join(temp, 'report.html');
  try {
    execFileSync(process.execPath, [join(ROOT, 'bin/losscurve.js'), 'diagnose', LOG, '--html', html, '--quiet'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    if (error.status !== 1) throw error; // 1: the run fails its policy, and its report is still written
  }
  const browser = await launchBrowser(temp);
  try {
    const { page, watch } = await openReport(browser.context, html);
    await page.setViewportSize(VIEW);
    // hover at the finding's first step, so the picture shows the tooltip too
    const box = await page.locator('figure.chart .region .band').first().boundingBox();
    if (box) await page.mouse.move(box.x + 0.5, box.y + box.height * 0.55);
    await page.screenshot({ path: OUT, clip: { x: 0, y: 0, ...VIEW } });
    if (watch.errors.length || watch.blocked.length) throw new Error(`the page was not clean: ${[...watch.errors, ...watch.blocked].join('; ')}`);
  } finally {
    await browser.close();
  }
  process.stdout.write(`${OUT}: ${statSync(OUT).size} bytes\n`);
} finally {
  rmSync(temp, { recursive: true, force: true });
}
