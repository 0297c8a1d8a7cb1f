// The --html report in a real browser (headless Debian chromium): every finding's band and label where its steps are, hover values, no console error, no request out, screenshots.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT } from './helpers.js';
import { CHROMIUM, chromiumInstalled, launchBrowser, openReport, type Page } from './helpers/browser.js';
import { tempFolder } from './helpers/formats.js';
import { HOSTILE_COLUMN, HOSTILE_FILE, hostileCsv, NAN_FROM, SINGLE_LOGS, SPIKE_AT, writeSweep } from './helpers/html-logs.js';

const BIN = join(ROOT, 'bin', 'losscurve.js');
// CI must prove the page works in a browser; a developer's machine without chromium skips, saying why
const missing = chromiumInstalled() ? undefined : `no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`;
const skip = missing !== undefined && !process.env.CI ? missing : false;
// a band drawn for a one-step finding is widened to this many pixels (MIN_BAND_PX in src/report/html.ts)
const MIN_BAND_PX = 3;
// SVG coordinates are written to 0.1 px
const PX_TOLERANCE = 0.11;

interface JsonFinding { pattern: string; series: string; run: number; start_step: number; end_step: number }
interface JsonEntry { file: string; verdict: string; runs: { diagnosed: number }; findings: JsonFinding[] }

const dir = tempFolder();
const shots = join(dir.path, 'screenshots');
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir.path, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  for (const log of SINGLE_LOGS) dir.write(log.name, log.text());
  writeSweep((relative, text) => dir.write(relative, text));
  dir.write(HOSTILE_FILE, hostileCsv());
  mkdirSync(shots, { recursive: true });
  if (!missing) browser = await launchBrowser(dir.path);
});

after(async () => {
  await browser?.close();
  // HTML_TEST_KEEP=1 keeps the pages and screenshots to look at
  if (process.env.HTML_TEST_KEEP) process.stdout.write(`# screenshots kept in ${shots}\n`);
  else dir.cleanup();
});

/** Opens a page, runs `check` on it, then asserts it logged no error and asked for nothing beyond its file. */
async function withPage(html: string, check: (page: Page) => Promise<void>): Promise<void> {
  assert.ok(browser, missing);
  const { page, watch } = await openReport(browser!.context, join(dir.path, html));
  const dialogs: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  try {
    await check(page);
    const shot = join(shots, html.replace(/\.html$/, '.png'));
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 1000, 'a screenshot was written');
  } finally {
    await page.close();
  }
  assert.deepEqual(watch.errors, [], 'console errors');
  assert.deepEqual(watch.blocked, [], 'requests that would have left the page');
  assert.deepEqual(dialogs, [], 'no script from the input ran');
}

/** Every finding of the diagnosed run has a band between the x positions of its steps, and a label with its pattern, on `figure`. */
async function assertRegions(page: Page, figure: string, entry: JsonEntry): Promise<void> {
  const drawn = await page.$eval(figure, (fig) => {
    const svg = fig.querySelector('svg')!;
    const d = svg.dataset;
    return {
      axis: { first: Number(d.firstStep), last: Number(d.lastStep), left: Number(d.plotLeft), width: Number(d.plotWidth) },
      regions: [...svg.querySelectorAll<SVGGElement>('g.region')].map((g) => {
        const band = g.querySelector('rect.band')!;
        return {
          pattern: g.dataset.pattern, series: g.dataset.series, start: Number(g.dataset.startStep), end: Number(g.dataset.endStep),
          x: Number(band.getAttribute('x')), width: Number(band.getAttribute('width')), label: g.querySelector('text.label')?.textContent ?? '',
          visible: band.getBoundingClientRect().width > 0 && band.getBoundingClientRect().height > 0,
        };
      }),
    };
  });
  const mine = entry.findings.filter((f) => f.run === entry.runs.diagnosed);
  assert.equal(drawn.regions.length, mine.length, `${entry.file}: one band per finding`);
  const { first, last, left, width } = drawn.axis;
  const xOf = (step: number) => left + ((step - first) / (last - first || 1)) * width;
  for (const f of mine) {
    const region = drawn.regions.find((r) => r.pattern === f.pattern && r.series === f.series && r.start === f.start_step && r.end === f.end_step);
    assert.ok(region, `${entry.file}: a band for ${f.pattern} ${f.start_step}–${f.end_step}`);
    assert.ok(Math.abs(region!.x - xOf(f.start_step)) <= PX_TOLERANCE, `${f.pattern}: starts at x ${xOf(f.start_step)}, drawn at ${region!.x}`);
    const end = Math.max(xOf(f.end_step), xOf(f.start_step) + MIN_BAND_PX);
    assert.ok(Math.abs(region!.x + region!.width - end) <= 2 * PX_TOLERANCE, `${f.pattern}: ends at x ${end}, drawn to ${region!.x + region!.width}`);
    assert.ok(region!.visible, `${f.pattern}: the band is on screen`);
    assert.ok(region!.label.startsWith(`${f.pattern} · `) && region!.label.length > f.pattern.length + 4, `label "${region!.label}": pattern and title`);
  }
}

/** Moves the mouse over the plot at `fraction` of its width and returns the tooltip's text ('' when none shows). */
async function hover(page: Page, figure: string, fraction: number): Promise<string> {
  await page.locator(`${figure} rect.hover`).scrollIntoViewIfNeeded();
  const box = await page.locator(`${figure} rect.hover`).boundingBox();
  assert.ok(box, 'the plot has a hover area');
  await page.mouse.move(box!.x + box!.width * fraction, box!.y + box!.height / 2);
  const tip = page.locator(`${figure} .tip`);
  return (await tip.isVisible()) ? (await tip.textContent()) ?? '' : '';
}

describe('the HTML report in chromium', { skip }, () => {
  test('CI has the browser (a missing chromium fails there instead of skipping)', () => {
    assert.equal(missing, undefined, missing);
  });

  for (const log of SINGLE_LOGS) {
    test(`one run (${log.name}): the curves, each finding shaded and labelled at its steps, values on hover`, async () => {
      const html = log.name.replace(/\.[a-z]+$/, '.html');
      const json = cli(['diagnose', log.name, '--format', 'json']);
      const out = cli(['diagnose', log.name, '--quiet', '--html', html]);
      assert.equal(out.code, log.exit, out.stderr);
      assert.equal(json.code, log.exit);
      const entry = JSON.parse(json.stdout) as JsonEntry;
      assert.ok(entry.findings.some((f) => f.pattern === log.pattern), `${log.name}: ${log.pattern} found`);
      await withPage(html, async (page) => {
        assert.equal(await page.locator('figure.chart').count(), 1);
        assert.equal(await page.locator('path.curve.train').count(), 1);
        assert.equal(await page.locator('path.curve.val').count(), log.name === 'overfit.csv' || log.name === 'healthy.csv' ? 1 : 0);
        assert.ok(((await page.locator('path.curve.train').getAttribute('d')) ?? '').length > 100, 'the train curve is drawn');
        await assertRegions(page, 'figure.chart', entry);
        // the findings listed below the chart, one per finding, with their steps
        const listed = await page.$$eval('li.finding', (items) => items.map((li) => `${(li as HTMLElement).dataset.pattern}@${(li as HTMLElement).dataset.startStep}`));
        assert.deepEqual(listed.sort(), entry.findings.filter((f) => f.run === entry.runs.diagnosed).map((f) => `${f.pattern}@${f.start_step}`).sort());
        assert.equal(await page.locator('.verdict').getAttribute('data-verdict'), entry.verdict);
        const tip = await hover(page, 'figure.chart', 0.3);
        assert.match(tip, /^step [0-9,]+ · train [0-9.]+/, tip);
        if (log.name === 'overfit.csv') assert.match(tip, / · val [0-9.]+/);
        // at the right edge the tooltip turns to the left of the mouse, inside the chart
        assert.match(await hover(page, 'figure.chart', 0.99), /^step /);
        const [tipBox, figBox] = [await page.locator('figure.chart .tip').boundingBox(), await page.locator('figure.chart').boundingBox()];
        assert.ok(tipBox!.x + tipBox!.width <= figBox!.x + figBox!.width + 0.5, `tooltip ends at ${tipBox!.x + tipBox!.width}, the chart at ${figBox!.x + figBox!.width}`);
        await page.mouse.move(2, 2);
        assert.equal(await page.locator('figure.chart .tip').isVisible(), false, 'the tooltip leaves with the mouse');
      });
    });
  }

  test('the spike and NaN bands sit at their steps; hovering the spike shows its value', async () => {
    cli(['diagnose', 'spike.csv', '--quiet', '--html', 'spike-hover.html']);
    await withPage('spike-hover.html', async (page) => {
      const band = await page.locator('g.region[data-pattern="spike"] rect.band').boundingBox();
      assert.ok(band);
      const svg = await page.locator('figure.chart svg').boundingBox();
      const axis = await page.$eval('figure.chart svg', (s) => ({ ...s.dataset }));
      // the band's left edge, in screen pixels, is where SPIKE_AT falls on the axis
      const scale = svg!.width / Number((await page.locator('figure.chart svg').getAttribute('viewBox'))!.split(' ')[2]);
      const x = svg!.x + (Number(axis.plotLeft) + ((SPIKE_AT - Number(axis.firstStep)) / (Number(axis.lastStep) - Number(axis.firstStep))) * Number(axis.plotWidth)) * scale;
      assert.ok(Math.abs(band!.x - x) < 1.5, `band at ${band!.x}, step ${SPIKE_AT} at ${x}`);
      await page.mouse.move(band!.x + 0.5, band!.y + band!.height / 2);
      const tip = await page.locator('figure.chart .tip').textContent();
      assert.match(tip ?? '', new RegExp(`^step 3,0[0-2]0 · train [5-6]\\.`), tip ?? '');
    });
    cli(['diagnose', 'nan.jsonl', '--quiet', '--html', 'nan-marks.html']);
    await withPage('nan-marks.html', async (page) => {
      assert.equal(await page.locator('g.region[data-pattern="nan"]').getAttribute('data-start-step'), String(NAN_FROM));
      assert.ok(await page.locator('line.nan').count() > 0, 'the NaN steps are marked');
      assert.match(await page.locator('figcaption').textContent() ?? '', /NaN\/Inf/);
    });
  });

  test('a sweep folder in mixed formats: the table on top, a chart per run with its findings, one printed page per run', async () => {
    const json = JSON.parse(cli(['diagnose', 'sweep', '--format', 'json']).stdout) as JsonEntry[];
    const out = cli(['diagnose', 'sweep', '--html', 'sweep.html']);
    assert.equal(out.code, 1, out.stderr);
    await withPage('sweep.html', async (page) => {
      const rows = await page.$$eval('table.runs tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
      assert.deepEqual(rows.map((r) => r[0]).sort(), json.map((e) => e.file).sort());
      assert.deepEqual(rows.map((r) => r[2]), ['failing', 'warning', 'warning', 'healthy']);
      const sections = await page.$$eval('section.run', (s) => s.map((x) => x.id));
      assert.equal(sections.length, json.length);
      for (let i = 0; i < rows.length; i++) {
        const entry = json.find((e) => e.file === rows[i][0])!;
        const id = sections[i];
        // the table's link goes to this run's section, which holds its chart
        assert.equal(await page.locator('table.runs tbody tr').nth(i).locator('a').getAttribute('href'), `#${id}`);
        assert.equal(await page.locator(`#${id} h2 .file`).textContent(), entry.file);
        await assertRegions(page, `#${id} figure.chart`, entry);
        assert.match(await hover(page, `#${id} figure.chart`, 0.5), /^(step|epoch) [0-9,.]+ · (train|val) /);
      }
      await page.emulateMedia({ media: 'print' });
      const breaks = await page.$$eval('section.run', (s) => s.map((x) => getComputedStyle(x).breakBefore));
      assert.deepEqual(breaks, sections.map(() => 'page'));
      await page.emulateMedia({ media: null }); // page.pdf prints with print media unless screen media is emulated
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      const pages = Number(/\/Count ([0-9]+)/.exec(pdf.toString('latin1'))?.[1]);
      assert.equal(pages, 1 + json.length, 'the table, then one page per run');
    });
  });

  test('a column and a file named as HTML elements show as text and run nothing', async () => {
    const out = cli(['diagnose', HOSTILE_FILE, '--loss', HOSTILE_COLUMN, '--quiet', '--html', 'hostile.html']);
    assert.equal(out.code, 0, out.stderr);
    await withPage('hostile.html', async (page) => {
      assert.equal(await page.locator('script').count(), 1);
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.locator('h1 .file').textContent(), HOSTILE_FILE);
      assert.match(await page.locator('figcaption').textContent() ?? '', /train \(<script>alert\(1\)<\/script>\)/);
      assert.ok((await page.title()).includes(HOSTILE_FILE));
    });
  });

  test('the screenshot script writes a small PNG of a shipped fixture', () => {
    const png = join(shots, 'readme.png');
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'screenshot.mjs'), join(ROOT, 'fixtures', 'patterns', 'spike', 'positive-pretrain-spike-at-6000.csv'), png], { encoding: 'utf8', timeout: 120000 });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(png));
    const bytes = readFileSync(png);
    assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(bytes.length < 150_000, `${bytes.length} bytes`);
  });
});
