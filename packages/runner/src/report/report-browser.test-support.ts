import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** One entry of the page's `window.__reportCharts`. */
export interface DrawnChart {
  readonly id: string;
  readonly series: number;
  readonly downsampled: boolean;
  readonly noData?: boolean;
}

/** What a report page did while it loaded. */
export interface OpenedReport {
  readonly page: Page;
  readonly charts: DrawnChart[];
  /** Every URL the page requested that is not file: or data:. */
  readonly offsiteRequests: string[];
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
}

/**
 * The system Chromium (never a downloaded one). A missing browser fails loudly: skipping would
 * let a broken report pass CI.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? findChromium();
  if (!existsSync(executablePath)) {
    throw new Error(
      `no Chromium at ${executablePath}: install it with \`apt-get install chromium\` (or set CHROMIUM_PATH to a Chromium binary)`,
    );
  }
  return chromium.launch({ executablePath, args: ['--no-sandbox'], headless: true });
}

/** /usr/bin/chromium, else the first chromium on PATH (the path tried is what the error names). */
function findChromium(): string {
  const standard = '/usr/bin/chromium';
  if (existsSync(standard)) return standard;
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser']) {
      if (existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return standard;
}

/** Opens a report file and waits until every chart is drawn (window.__reportCharts is set). */
export async function openReport(browser: Browser, htmlPath: string): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const offsiteRequests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith('file:') && !url.startsWith('data:')) offsiteRequests.push(url);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
  try {
    await page.waitForFunction(
      () => Array.isArray((globalThis as { __reportCharts?: unknown }).__reportCharts),
      null,
      {
        timeout: 15_000,
      },
    );
  } catch (err) {
    throw new Error(
      `the report never set window.__reportCharts (page errors: ${pageErrors.join(' | ') || 'none'}; console errors: ${consoleErrors.join(' | ') || 'none'})`,
      { cause: err },
    );
  }
  const charts = await readCharts(page);
  return { page, charts, offsiteRequests, consoleErrors, pageErrors };
}

/** The current `window.__reportCharts` (entries update as charts zoom). */
export async function readCharts(page: Page): Promise<DrawnChart[]> {
  return page.evaluate(() =>
    (globalThis as unknown as { __reportCharts: DrawnChart[] }).__reportCharts.map((c) => ({ ...c })),
  );
}

/** Waits until chart `id` draws downsampled (true) or at full resolution (false). */
export async function waitForResolution(page: Page, id: string, downsampled: boolean): Promise<void> {
  await page.waitForFunction(
    ([chartId, want]) =>
      (globalThis as unknown as { __reportCharts: DrawnChart[] }).__reportCharts.find((c) => c.id === chartId)
        ?.downsampled === want,
    [id, downsampled] as const,
  );
}
