// The reports' browser check: node tests/site/reports.mjs [--screenshots DIR] REPORT.html...
//
// Opens each report (the CLI's report.html) from the disk (file://) in Debian's headless chromium (/usr/bin/chromium,
// driven by playwright-core, as tests/site/check.mjs does; no browser is downloaded) with the network cut
// (--proxy-server=127.0.0.1:9) and a fresh profile. A report passes when
//   - it loads with no console error, no uncaught exception, and no request besides the file itself (one offline file);
//   - it has the header (a title and the facts) and its charts sit in the grid: main.charts is a CSS grid, at a
//     1400 px window the first two cards that do not span the row sit side by side;
//   - every chart draws (each Plotly.newPlot target holds Plotly's svg) as wide as its card, and still fits its card
//     after the window shrinks to 700 px (one column).
// With --screenshots DIR, saves DIR/NAME-1400.png (the whole page) for each report, NAME the report's folder.
// Prints one line per report (ok / FAILED with the reasons), then "reports: P passed, F failed"; exits 1 on a failure.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
let shots = null;
if (args[0] === "--screenshots") { shots = resolve(args[1]); args.splice(0, 2); mkdirSync(shots, { recursive: true }); }
const reports = args.map((a) => resolve(a));
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (reports.length === 0 || !existsSync(browserPath) || reports.some((r) => !existsSync(r))) {
  console.log(reports.length === 0 ? "usage: node tests/site/reports.mjs [--screenshots DIR] REPORT.html..."
    : !existsSync(browserPath) ? `error: no browser at ${browserPath}: apt-get install chromium (or set CHROMIUM)`
    : `error: no such report: ${reports.filter((r) => !existsSync(r)).join(", ")}`);
  console.log("reports: 0 passed, 1 failed");
  process.exit(1);
}

const profile = mkdtempSync(join(tmpdir(), "trirl-reports-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: browserPath,
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--proxy-server=127.0.0.1:9"],
});

// Every chart's svg width against its card's content width (Plotly's svg fills the chart's div when it fits its card).
const fits = () => [...document.querySelectorAll("main.charts > .chart")].map((card) => {
  const svg = card.querySelector(".main-svg");
  const style = getComputedStyle(card);
  const inner = card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return { drawn: !!svg, svg: svg ? svg.getBoundingClientRect().width : 0, card: inner };
});

let passed = 0, failed = 0;
for (const file of reports) {
  const name = basename(dirname(file));
  const url = pathToFileURL(file).href;
  const problems = [];
  const page = await context.newPage();
  const requests = [];
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console error: ${msg.text()}`); });
  page.on("pageerror", (err) => problems.push(`uncaught: ${err.message}`));
  page.on("request", (req) => requests.push(req.url()));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  try {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(url, { waitUntil: "load", timeout: 60000 });
    const targets = await page.evaluate(() =>
      [...document.scripts].flatMap((s) => [...s.textContent.matchAll(/Plotly\.newPlot\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1])));
    if (targets.length === 0) problems.push("no chart");
    await page.waitForFunction((ids) => ids.every((id) => document.getElementById(id)?.querySelector(".main-svg")), targets,
      { timeout: 20000 }).catch(() => {});
    const missing = await page.evaluate((ids) => ids.filter((id) => !document.getElementById(id)?.querySelector(".main-svg")), targets);
    if (missing.length > 0) problems.push(`${missing.length} of ${targets.length} charts did not draw (no .main-svg in #${missing[0]})`);
    const others = requests.filter((r) => r !== url);
    if (others.length > 0) problems.push(`${others.length} requests besides the file, e.g. ${others[0]}`);

    const header = await page.evaluate(() => ({
      title: document.querySelector("header.report-header h1")?.textContent ?? "",
      facts: document.querySelectorAll("header.report-header dl.facts dt").length,
    }));
    if (!header.title) problems.push("no header title");
    if (header.facts < 5) problems.push(`the header has ${header.facts} facts`);
    const grid = await page.evaluate(() => {
      const main = document.querySelector("main.charts");
      const cards = [...document.querySelectorAll("main.charts > .chart")];
      const narrow = cards.filter((c) => !c.classList.contains("wide")).map((c) => c.getBoundingClientRect());
      return { display: main ? getComputedStyle(main).display : "none", cards: cards.length,
        sideBySide: narrow.length < 2 || (Math.abs(narrow[0].top - narrow[1].top) < 1 && narrow[1].left > narrow[0].right) };
    });
    if (grid.display !== "grid") problems.push(`main.charts is not a grid (display: ${grid.display})`);
    if (grid.cards !== targets.length) problems.push(`${grid.cards} cards for ${targets.length} charts`);
    if (!grid.sideBySide) problems.push("at 1400 px the first two cards do not sit side by side");
    const check = async (width) => {
      for (const [i, f] of (await page.evaluate(fits)).entries()) {
        if (f.drawn && Math.abs(f.svg - f.card) > 2) { problems.push(`at ${width} px chart ${i + 1} is ${f.svg.toFixed(0)} px wide in a ${f.card.toFixed(0)} px card`); break; }
      }
    };
    await check(1400);
    if (shots) await page.screenshot({ path: join(shots, `${name}-1400.png`), fullPage: true });
    // Plotly refits responsive charts on the window's resize event (debounced).
    await page.setViewportSize({ width: 700, height: 900 });
    await page.waitForTimeout(1000);
    await check(700);
  } catch (err) {
    problems.push(`did not load: ${err.message.split("\n")[0]}`);
  }
  await page.close();
  if (problems.length === 0) { passed++; console.log(`ok     ${name}/${basename(file)}`); }
  else { failed++; console.log(`FAILED ${name}/${basename(file)}`); for (const p of [...new Set(problems)].slice(0, 8)) console.log(`    ${p}`); }
}

await context.close();
rmSync(profile, { recursive: true, force: true });
console.log(`reports: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
