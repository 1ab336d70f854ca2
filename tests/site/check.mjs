// The site's browser check: node tests/site/check.mjs SITE_DIR
//
// Serves SITE_DIR on 127.0.0.1 and opens every page in Debian's headless chromium (/usr/bin/chromium, driven by
// playwright-core; no browser is downloaded) with the network cut (--proxy-server=127.0.0.1:9: any request that leaves
// this machine fails) and a fresh profile. A page passes when
//   - it loads with no console error, no uncaught exception and no failed request;
//   - every chart draws: each element that a Plotly.newPlot call of the page targets holds Plotly's svg (.main-svg);
//   - every internal link resolves: an <a href> to the site names a file of the site and, with a #fragment, an
//     element of that page with that id (or name).
// Prints one line per page (ok / FAILED with the reasons), then "site: P passed, F failed"; exits 1 on a failure.
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, relative, resolve, sep } from "node:path";

const site = resolve(process.argv[2] ?? "artifacts/site");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(join(site, "index.html"))) {
  console.log(`error: ${site} has no index.html: build the site first (bash scripts/site.sh)`);
  console.log("site: 0 passed, 1 failed");
  process.exit(1);
}
if (!existsSync(browserPath)) {
  console.log(`error: no browser at ${browserPath}: apt-get install chromium (or set CHROMIUM)`);
  console.log("site: 0 passed, 1 failed");
  process.exit(1);
}

const pages = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith(".html")) pages.push(relative(site, path).split(sep).join("/"));
  }
})(site);

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
  ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".woff2": "font/woff2",
  ".woff": "font/woff", ".ttf": "font/ttf", ".ipynb": "application/json", ".cs": "text/plain", ".fsx": "text/plain" };
const server = createServer((req, res) => {
  const path = join(site, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!path.startsWith(site) || !existsSync(path) || statSync(path).isDirectory()) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
  res.end(readFileSync(path));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const profile = mkdtempSync(join(tmpdir(), "trirl-site-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: browserPath,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--proxy-server=127.0.0.1:9"],
});

// Ids and names of each page, read once from the files (for the #fragments of links).
const anchorCache = new Map();
function anchorsOf(file) {
  if (!anchorCache.has(file)) {
    const html = readFileSync(join(site, file), "utf8");
    const set = new Set();
    for (const m of html.matchAll(/\s(?:id|name)="([^"]+)"/g)) set.add(m[1]);
    anchorCache.set(file, set);
  }
  return anchorCache.get(file);
}

let passed = 0, failed = 0;
const results = new Map();
async function check(file) {
  const problems = [];
  const page = await context.newPage();
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console error: ${msg.text()}`); });
  page.on("pageerror", (err) => problems.push(`uncaught: ${err.message}`));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on("response", (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  try {
    await page.goto(`${origin}/${file}`, { waitUntil: "load", timeout: 30000 });
    // Charts: every Plotly.newPlot target must hold Plotly's svg once the page's scripts ran.
    const targets = await page.evaluate(() =>
      [...document.scripts].flatMap((s) => [...s.textContent.matchAll(/Plotly\.newPlot\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1])));
    if (targets.length > 0) {
      await page.waitForFunction((ids) => ids.every((id) => document.getElementById(id)?.querySelector(".main-svg")), targets,
        { timeout: 15000 }).catch(() => {});
      const missing = await page.evaluate((ids) => ids.filter((id) => !document.getElementById(id)?.querySelector(".main-svg")), targets);
      if (missing.length > 0) problems.push(`${missing.length} of ${targets.length} charts did not draw (no .main-svg in #${missing[0]})`);
    }
    // Every relative URL of the page stays inside the site (a web server forgives "../" above its root; a file://
    // reader of the site does not).
    const depth = file.split("/").length - 1;
    const escaping = await page.evaluate((depth) =>
      [...document.querySelectorAll("[href],[src]")].map((e) => e.getAttribute("href") ?? e.getAttribute("src"))
        .filter((u) => u && !/^([a-z][a-z0-9+.-]*:|#|\/)/i.test(u))
        .filter((u) => { let d = depth; for (const part of u.split(/[?#]/)[0].split("/")) { if (part === "..") d--; else if (part !== "." && part !== "") d++; if (d < 0) return true; } return false; }),
      depth);
    for (const u of new Set(escaping)) problems.push(`relative URL leaves the site: ${u}`);
    // Internal links.
    const hrefs = await page.evaluate(() => [...document.querySelectorAll("a[href]")].map((a) => a.href));
    for (const href of new Set(hrefs)) {
      const url = new URL(href);
      if (url.origin !== origin) continue;
      let target = decodeURIComponent(url.pathname).replace(/^\//, "");
      if (target === "" || target.endsWith("/")) target += "index.html";
      if (!existsSync(join(site, target)) || statSync(join(site, target)).isDirectory()) {
        problems.push(`broken link: ${href.replace(origin + "/", "")}`);
      } else if (url.hash && target.endsWith(".html") && !anchorsOf(target).has(decodeURIComponent(url.hash.slice(1)))) {
        problems.push(`broken link: ${href.replace(origin + "/", "")} (no such anchor)`);
      }
    }
    await page.waitForTimeout(50); // late console errors of the page's own scripts
  } catch (err) {
    problems.push(`did not load: ${err.message.split("\n")[0]}`);
  }
  await page.close();
  results.set(file, problems);
}

// A few pages at a time; the report keeps the pages' order.
const queue = [...pages];
await Promise.all(Array.from({ length: 3 }, async () => { while (queue.length > 0) await check(queue.shift()); }));
for (const file of pages) {
  const problems = results.get(file);
  if (problems.length === 0) {
    passed++;
    console.log(`ok     ${file}`);
  } else {
    failed++;
    console.log(`FAILED ${file}`);
    for (const p of [...new Set(problems)].slice(0, 8)) console.log(`    ${p}`);
  }
}

await context.close();
server.close();
rmSync(profile, { recursive: true, force: true });
console.log(`site: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
