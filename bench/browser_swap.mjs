// Save → visible in a real browser: starts `cds serve` on a copy of a site, opens one page in
// Debian's Chromium (playwright-core), scrolls half-way down, then appends a paragraph with a
// new word to the page's Markdown file, again and again, and measures the time from the write
// to the word being on screen. Checks each time that the page was swapped in place (a value
// set on `window` survives) and that the scroll position was kept; then changes a template so
// the page gains a script file, and checks that the page reloads instead. With --check, also
// changes the page's title with its section's list open in a second tab: both must show it.
//
//   node bench/browser_swap.mjs                                   # the sample site, 20 edits
//   node bench/browser_swap.mjs --root /dev/shm/corpus-1000/project --edits 30
//   node bench/browser_swap.mjs --edits 3 --check                 # what tests/e2e/run.sh runs
//
// Options: --binary (default target/release/cds), --root (site folder, default the repository),
// --file (content file to edit, default the first article), --edits N, --check (exit 1 on a
// reload or a lost scroll position). Prints p50 / p95 / max in milliseconds.
import { createRequire } from "node:module";
import { spawn } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
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
const edits = Number(opt("edits", "20"));
const check = args.includes("--check");

// A copy, so the edits never touch the real site; `public/` and `target/` are not needed.
const site = mkdtempSync(join(tmpdir(), "cds-swap-"));
for (const name of ["config.yaml", "content", "themes", "templates", "static"]) {
  try {
    cpSync(join(root, name), join(site, name), { recursive: true });
  } catch {}
}
const firstArticle = () => {
  const dir = join(site, "content");
  const sections = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory());
  for (const s of sections) {
    const md = readdirSync(join(dir, s.name)).filter((f) => f.endsWith(".md") && f !== "_index.md");
    if (md.length) return join("content", s.name, md.sort()[0]);
  }
  throw new Error("no article to edit");
};
const file = opt("file", firstArticle());

const server = spawn(binary, ["serve", "--root", site, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
const url = await new Promise((resolve, reject) => {
  let seen = "";
  const look = (chunk) => {
    seen += chunk;
    const m = seen.match(/http:\/\/127\.0\.0\.1:\d+\/[^\s]*/);
    if (m) resolve(m[0]);
  };
  server.stdout.on("data", look);
  server.stderr.on("data", look);
  server.once("exit", () => reject(new Error(`cds serve ended: ${seen}`)));
});
// The page the file makes: its path under content/, without `.md`, under the base path.
const slugOf = (text) => (text.match(/^slug:\s*(.+)$/m) || [])[1];
const rel = file.replace(/^content\//, "").replace(/\.md$/, "").replace(/\/index$/, "");
const parts = rel.split("/");
const slug = slugOf(readFileSync(join(site, file), "utf8"));
if (slug) parts[parts.length - 1] = slug.trim();
const pageUrl = new URL(parts.join("/") + "/", url).href;

console.log(`page ${pageUrl}, file ${file}`);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
if (process.env.DEBUG) { page.on("console", (m) => console.log("console:", m.text())); page.on("pageerror", (e) => console.log("pageerror:", e.message)); server.stderr.on("data", (d) => process.stdout.write("srv: " + d)); server.stdout.on("data", (d) => process.stdout.write("srv: " + d)); }
let failures = 0;
const times = [];
try {
  const res = await page.goto(pageUrl, { waitUntil: "load" });
  if (!res || res.status() !== 200) throw new Error(`${pageUrl}: ${res && res.status()}`);
  for (let i = 0; i < edits; i++) {
    // Something below the fold to scroll to: each edit adds a paragraph.
    const y = await page.evaluate((i) => {
      window.__cdsMark = i;
      scrollTo(0, Math.max(0, (document.documentElement.scrollHeight - innerHeight) / 2));
      return scrollY;
    }, i);
    const word = `xemthu${i}k${Date.now() % 100000}`;
    const started = performance.now();
    appendFileSync(join(site, file), `\n\nĐoạn thêm ${word}.\n`);
    await page.waitForFunction((w) => document.body && document.body.innerText.includes(w), word, {
      polling: "raf",
      timeout: 15000,
    });
    times.push(performance.now() - started);
    const after = await page.evaluate(() => [window.__cdsMark, scrollY]);
    if (after[0] !== i) {
      console.log(`edit ${i + 1}: the page was reloaded, not swapped in place`);
      failures++;
    } else if (Math.abs(after[1] - y) > 1) {
      console.log(`edit ${i + 1}: scroll position ${y} became ${after[1]}`);
      failures++;
    }
  }
  if (check) {
    // A new title shows on the page and in its section's list, open in another tab: the list
    // is told to fetch only once the whole site is built, never handed the old list.
    const list = await browser.newPage({ viewport: { width: 360, height: 640 } });
    // The server hears of the tab only once its event stream is answered, which can come
    // after `load`: an edit saved before then would never reach it.
    const listening = list.waitForResponse((r) => r.url().includes("__cds/events"));
    await list.goto(new URL("../", pageUrl).href, { waitUntil: "load" });
    await listening;
    const title = `Tiêu đề mới ${Date.now() % 100000}`;
    const text = readFileSync(join(site, file), "utf8");
    writeFileSync(join(site, file), text.replace(/^title:.*$/m, `title: "${title}"`));
    for (const tab of [page, list]) {
      await tab.waitForFunction((t) => document.body && document.body.innerText.includes(t), title, {
        timeout: 15000,
      });
    }
    console.log("a new title: the page and its section's list show it");
    await list.close();
    // A template that adds a script file: the page must reload to run it.
    const base = readFileSync(join(site, "themes/daihai/templates/base.html"), "utf8");
    mkdirSync(join(site, "templates"), { recursive: true });
    await page.evaluate(() => (window.__cdsMark = "truoc"));
    writeFileSync(join(site, "templates/base.html"), base.replace("</head>", '<script src="data:text/javascript,1"></script></head>'));
    await page.waitForFunction(() => window.__cdsMark === undefined, null, { timeout: 15000 });
    console.log("a new script file: the page reloaded");
  }
} finally {
  await browser.close();
  const ended = new Promise((resolve) => server.on("exit", resolve));
  server.kill();
  await ended;
  rmSync(site, { recursive: true, force: true });
}
const sorted = [...times].sort((a, b) => a - b);
const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
console.log(
  `save → visible in Chromium, ${times.length} edits: p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`,
);
if (check && failures) {
  console.log(`${failures} edit(s) were not swapped in place`);
  process.exit(1);
}
