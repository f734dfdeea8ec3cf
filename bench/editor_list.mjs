// The editor's list of pages in a real browser: starts `cds serve` on a site, opens the
// editor's printed link in Debian's Chromium (playwright-core) and measures
// - the first view: from the navigation's start to the list's rows on screen (the page, its
//   script, the list of every page as JSON, the first rows drawn), median of --runs loads;
// - filtering: from a key typed in the search box to the filtered rows painted (the next
//   animation frame), for each of a few queries with and without accents, median.
// The bars of issue #19: first view < 300 ms and filtering < 50 ms at 10,000 pages.
//
//   python3 ../shared/bench/gen_corpus.py --pages 10000 --out /dev/shm/corpus-10000 --tools project
//   node bench/editor_list.mjs --root /dev/shm/corpus-10000/project
//   node bench/editor_list.mjs                      # the sample site
//
// Options: --binary (default target/release/cds), --root (default the repository), --runs N
// (default 7), --check (exit 1 when a bar is missed).
import { createRequire } from "node:module";
import { spawn } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(repo, "tests/e2e/package.json"));
const { chromium } = require("playwright-core");

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const binary = opt("binary", join(repo, "target/release/cds"));
const root = opt("root", repo);
const runs = Number(opt("runs", "7"));
const check = args.includes("--check");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = spawn(binary, ["serve", "--root", root, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
const link = await new Promise((resolve, reject) => {
  let seen = "";
  const look = (chunk) => {
    seen += chunk;
    const m = seen.match(/http:\/\/127\.0\.0\.1:\d+\/\?khoa=[0-9a-f]+/);
    if (m) resolve(m[0]);
  };
  server.stdout.on("data", look);
  server.stderr.on("data", look);
  server.once("exit", () => reject(new Error(`cds serve ended: ${seen}`)));
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
await page.goto(link);
await page.waitForSelector("#pages tbody tr");
const editor = page.url();

const firstViews = [];
for (let i = 0; i < runs; i++) {
  await page.goto("about:blank");
  await page.goto(editor, { waitUntil: "commit" });
  await page.waitForSelector("#pages tbody tr");
  firstViews.push(await page.evaluate(() => new Promise((done) =>
    requestAnimationFrame(() => done(performance.now())))));
}
const pages = await page.evaluate(() => document.getElementById("count").textContent);

const filters = [];
for (const query of ["chuyen doi so", "chuyển đổi", "vneid", "thanh toan khong dung tien mat", "x"]) {
  for (let i = 0; i < runs; i++) {
    filters.push(await page.evaluate((q) => new Promise((done) => {
      const box = document.getElementById("q");
      box.value = "";
      box.dispatchEvent(new Event("input"));
      const start = performance.now();
      box.value = q;
      box.dispatchEvent(new Event("input"));
      requestAnimationFrame(() => setTimeout(() => done(performance.now() - start), 0));
    }), query));
  }
}
await browser.close();
server.kill();

const first = median(firstViews), filtering = median(filters);
console.log(`list of ${pages}: first view ${first.toFixed(0)} ms (median of ${runs}; ${Math.min(...firstViews).toFixed(0)}–${Math.max(...firstViews).toFixed(0)}), ` +
  `filtering ${filtering.toFixed(1)} ms (median of ${filters.length}; max ${Math.max(...filters).toFixed(1)})`);
if (check && (first >= 300 || filtering >= 50)) {
  console.log("FAIL: the bars are a first view under 300 ms and filtering under 50 ms");
  process.exit(1);
}
