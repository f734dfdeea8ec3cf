// Search measurements (issue #7): cds's index against Pagefind's, on the same built site.
//
//   cd bench/search && npm ci && node compare.mjs --pages 1000   # then --pages 10000
//
// Generates the corpus with ../shared/bench/gen_corpus.py (kept in /dev/shm/corpus-N), builds
// it with the release cds, indexes a copy with Pagefind, then runs each query in a fresh
// Chromium context (empty cache) against a local server that counts the bytes it sends:
// - bytes: everything the search needs for a first query, page HTML and CSS excluded
//   (cds: tim-kiem.js, meta, shards, result details; Pagefind: pagefind.js, wasm, entry,
//   index and filter chunks, fragments of the top 10); raw and gzip (what a server sends);
// - time: in the page, from submitting the query to the results (cds: the search page's own
//   form; Pagefind: import, init, search and data() of the top 10);
// - found: whether the expected page is in the top 10 (or, for topic queries, the number of
//   results).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const pages = Number(arg("--pages", "1000"));
const corpus = arg("--corpus", `/dev/shm/corpus-${pages}`);
const binary = arg("--binary", path.join(repo, "target", "release", "cds"));
const work = arg("--work", `/dev/shm/cds-search-bench-${pages}`);
const port = Number(arg("--port", "8791"));

// 1. The corpus, the cds build, the Pagefind index.
const project = path.join(corpus, "project");
if (!fs.existsSync(project)) {
  execFileSync("python3", [path.join(repo, "..", "shared", "bench", "gen_corpus.py"), "--pages", String(pages), "--out", corpus, "--tools", "project"], { stdio: "ignore" });
}
fs.rmSync(path.join(project, "themes"), { recursive: true, force: true });
fs.cpSync(path.join(repo, "themes"), path.join(project, "themes"), { recursive: true });
fs.rmSync(work, { recursive: true, force: true });
const cdsDir = path.join(work, "cds");
const pfDir = path.join(work, "pf");
execFileSync(binary, ["build", "--root", project, "-u", `http://127.0.0.1:${port}/cds/`, "-o", cdsDir], { stdio: "ignore" });
execFileSync(binary, ["build", "--root", project, "-u", `http://127.0.0.1:${port}/pf/`, "-o", pfDir], { stdio: "ignore" });
fs.rmSync(path.join(pfDir, "tim-kiem"), { recursive: true, force: true });
const pfStarted = Date.now();
execFileSync(path.join(here, "node_modules", ".bin", "pagefind"), ["--site", pfDir, "--silent"], { stdio: "ignore" });
const pfSeconds = (Date.now() - pfStarted) / 1000;
fs.writeFileSync(path.join(work, "blank.html"), "<!doctype html><title>blank</title>");

const du = (dir) => fs.readdirSync(dir, { recursive: true })
  .map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile())
  .reduce((n, f) => n + fs.statSync(f).size, 0);
const cdsIndex = path.join(cdsDir, "tim-kiem", "chi-muc");
console.log(`${pages} articles. Index on disk: cds ${(du(cdsIndex) / 1e6).toFixed(1)} MB in ${fs.readdirSync(cdsIndex).length} files; ` +
  `Pagefind ${(du(path.join(pfDir, "pagefind")) / 1e6).toFixed(1)} MB in ${fs.readdirSync(path.join(pfDir, "pagefind"), { recursive: true }).length} files (indexed in ${pfSeconds.toFixed(1)} s)`);

// 2. A server that counts what it sends.
let sent = { raw: 0, gzip: 0, files: 0 };
const gzipSizes = new Map();
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json", ".css": "text/css", ".wasm": "application/wasm" };
const counted = (url) => url.includes("/tim-kiem/chi-muc/") || url.includes("/js/tim-kiem") || url.includes("/pagefind/");
const server = http.createServer((req, res) => {
  let url = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = path.join(work, url);
  if (!file.startsWith(work)) { res.writeHead(403).end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  if (!fs.existsSync(file)) { res.writeHead(404).end(); return; }
  const body = fs.readFileSync(file);
  if (counted(url)) {
    if (!gzipSizes.has(file)) gzipSizes.set(file, zlib.gzipSync(body, { level: 6 }).length);
    sent.raw += body.length;
    sent.gzip += gzipSizes.get(file);
    sent.files += 1;
  }
  res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream", "cache-control": "no-store" });
  res.end(body);
});
await new Promise((ok) => server.listen(port, "127.0.0.1", ok));

// 3. Queries, with what each should find.
const frontMatter = (file) => {
  const text = fs.readFileSync(file, "utf8");
  return { title: /^title: "(.*)"$/m.exec(text)[1], slug: path.basename(file, ".md") };
};
const firstIn = (section) => fs.readdirSync(path.join(project, "content", section)).filter((f) => f !== "_index.md").sort()[0];
const news = frontMatter(path.join(project, "content", "tin-tuc", firstIn("tin-tuc")));
const policy = frontMatter(path.join(project, "content", "chinh-sach", firstIn("chinh-sach")));
const fold = (s) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
const policyNumber = /(\d+\/\d{4}\/[A-ZĐ-]+)/u.exec(policy.title)?.[1] ?? policy.title;
const queries = [
  { q: "chuyển đổi số" },
  { q: "chuyen doi so" },
  { q: "dịch vụ công trực tuyến" },
  { q: "doi so" },
  { q: "VNeID" },
  { q: news.title, expect: news.slug },
  { q: fold(news.title), expect: news.slug },
  { q: policyNumber, expect: policy.slug },
  { q: fold(policy.title.split(" về ")[0]), expect: policy.slug },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
async function cds(q) {
  const context = await browser.newContext();
  const page = await context.newPage();
  sent = { raw: 0, gzip: 0, files: 0 };
  await page.goto(`http://127.0.0.1:${port}/cds/tim-kiem/`);
  await page.waitForFunction(() => document.getElementById("trang-thai").textContent !== "");
  const ms = await page.evaluate(async (q) => {
    const status = document.getElementById("trang-thai");
    const t0 = performance.now();
    document.getElementById("o-tim-kiem").value = q;
    document.getElementById("form-tim-kiem").requestSubmit();
    while (!/^(Tìm thấy|Không tìm thấy)/.test(status.textContent)) await new Promise((r) => setTimeout(r, 1));
    return performance.now() - t0;
  }, q);
  const urls = await page.$$eval("#danh-sach a", (as) => as.map((a) => a.href));
  const total = Number(/(\d[\d.]*) (kết quả|trang)/.exec(await page.textContent("#trang-thai"))?.[1].replace(/\./g, "")) || 0;
  await context.close();
  return { ms, urls: urls.slice(0, 10), total, ...sent };
}
async function pagefind(q) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/blank.html`);
  sent = { raw: 0, gzip: 0, files: 0 };
  const r = await page.evaluate(async (q) => {
    const t0 = performance.now();
    const pf = await import("/pf/pagefind/pagefind.js");
    await pf.init();
    const found = await pf.search(q);
    const data = await Promise.all(found.results.slice(0, 10).map((x) => x.data()));
    return { ms: performance.now() - t0, urls: data.map((d) => d.url), total: found.results.length };
  }, q);
  await context.close();
  return { ...r, ...sent };
}

const kb = (n) => (n / 1024).toFixed(1);
const verdict = (r, expect) => expect ? (r.urls.some((u) => u.includes(`/${expect}/`)) ? "yes" : "NO") : String(r.total);
console.log("\n| query | cds KB raw / gzip | Pagefind KB raw / gzip | cds ms | Pagefind ms | cds finds | Pagefind finds |");
console.log("|---|---|---|---|---|---|---|");
for (const { q, expect } of queries) {
  const a = await cds(q);
  const b = await pagefind(q);
  console.log(`| ${q.length > 48 ? q.slice(0, 46) + "…" : q} | ${kb(a.raw)} / ${kb(a.gzip)} | ${kb(b.raw)} / ${kb(b.gzip)} | ${a.ms.toFixed(0)} | ${b.ms.toFixed(0)} | ${verdict(a, expect)} | ${verdict(b, expect)} |`);
}
console.log("\n(finds: for a query with an expected page, whether it is in the top 10; otherwise the number of results.)");
await browser.close();
server.close();
