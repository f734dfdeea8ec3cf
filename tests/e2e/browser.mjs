// Browser checks of the built section (issue #4), run by tests/e2e/run.sh:
// every listed page at 360×800 and 1366×768 with axe-core (WCAG 2.0/2.1 A and AA rules): no
// violation; at 320 px wide: no horizontal scrolling; screenshots under target/e2e/screenshots.
// Uses Debian's Chromium through playwright-core (no browser download).
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [base, shots, ...paths] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
let failures = 0;
let checks = 0;
let failedChecks = 0;
const viewports = [{ name: "dien-thoai", width: 360, height: 800 }, { name: "may-tinh", width: 1366, height: 768 }];
for (const path of paths) {
  for (const vp of viewports) {
    const before = failures;
    checks++;
    const page = await browser.newPage({ viewport: { width: vp.width, height: vp.height } });
    const requests = [];
    page.on("request", (r) => requests.push(r.url()));
    const res = await page.goto(base + path, { waitUntil: "load" });
    const expected = path.includes("khong-co-trang") ? 404 : 200;
    if (!res || res.status() !== expected) {
      console.log(`FAIL ${path} @${vp.name}: status ${res && res.status()}`);
      failures++;
    }
    const foreign = requests.filter((u) => !u.startsWith(new URL(base).origin));
    if (foreign.length) {
      console.log(`FAIL ${path} @${vp.name}: third-party requests ${foreign.join(", ")}`);
      failures++;
    }
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    for (const v of result.violations) {
      console.log(`FAIL ${path} @${vp.name}: axe ${v.id} (${v.impact}): ${v.help}`);
      for (const n of v.nodes.slice(0, 3)) console.log(`     ${n.target.join(" ")}: ${n.failureSummary.split("\n").join(" ")}`);
      failures++;
    }
    const slug = (path.replace(/^\/|\/$/g, "").replace(/[^a-z0-9]+/gi, "-") || "trang-dau");
    await page.screenshot({ path: `${shots}/${slug}-${vp.name}.png`, fullPage: vp.width < 400 });
    await page.close();
    if (failures > before) failedChecks++;
  }
  // Reflow: WCAG 1.4.10 at 320 CSS px, no horizontal scrolling of the page.
  checks++;
  const narrow = await browser.newPage({ viewport: { width: 320, height: 640 } });
  await narrow.goto(base + path, { waitUntil: "load" });
  const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) {
    console.log(`FAIL ${path} @320px: scrolls sideways by ${overflow}px`);
    failures++;
    failedChecks++;
  }
  await narrow.close();
  console.log(`checked ${path}`);
}
// Search, with the real script in the real browser.
async function search(base, q) {
  const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
  await page.goto(`${base}?q=${encodeURIComponent(q)}`, { waitUntil: "load" });
  await page.waitForFunction(() => /Tìm thấy|Không tìm thấy|Không tải/.test(document.getElementById("trang-thai").textContent), null, { timeout: 10000 });
  const status = await page.textContent("#trang-thai");
  const results = await page.$$eval("#danh-sach li h2 a", (as) => as.map((a) => ({ title: a.textContent, href: a.getAttribute("href") })));
  await page.close();
  return { status, results };
}
function expect(ok, what) {
  checks++;
  if (!ok) { failedChecks++; console.log(`FAIL search: ${what}`); }
}
const site = `${base}/chuyen-doi-so/tim-kiem/`;
let r = await search(site, "chuyen doi so");
expect(r.results.length > 5 && r.results.every((x) => x.title), `"chuyen doi so" finds pages (${r.status})`);
expect(r.results.some((x) => /chuyển đổi số/i.test(x.title)), `"chuyen doi so" finds titles with "chuyển đổi số": ${JSON.stringify(r.results.slice(0, 3))}`);
for (const q of ["57-NQ/TW", "nghi quyet 57", "57 nq tw"]) {
  r = await search(site, q);
  expect(r.results[0] && r.results[0].href.endsWith("/van-ban/57-nq-tw/"), `"${q}" finds the document first: ${JSON.stringify(r.results.slice(0, 2))}`);
}
const tiny = `${base}/tim-thu/tim-kiem/`;
r = await search(tiny, "đôi");
expect(r.results[0] && r.results[0].title === "Đôi dép của bà", `"đôi" ranks the exact tone first: ${JSON.stringify(r.results)}`);
r = await search(tiny, "đổi");
expect(r.results[0] && r.results[0].title === "Đổi mới cách làm", `"đổi" ranks the exact tone first: ${JSON.stringify(r.results)}`);
r = await search(tiny, "doi");
expect(r.results.length === 2, `"doi" finds both: ${JSON.stringify(r.results)}`);
{
  // Ten results at a time; "Xem thêm" adds the next ones and moves focus to the first of them.
  const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
  await page.goto(`${site}?q=x%C3%A3`, { waitUntil: "load" });
  await page.waitForFunction(() => /Tìm thấy/.test(document.getElementById("trang-thai").textContent), null, { timeout: 10000 });
  const before = await page.$$eval("#danh-sach li", (li) => li.length);
  expect(before === 10, `"xã" shows 10 results first (got ${before})`);
  await page.click("button.xem-them");
  await page.waitForFunction(() => document.querySelectorAll("#danh-sach li").length > 10, null, { timeout: 10000 });
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.closest("#danh-sach li") === document.querySelectorAll("#danh-sach li")[10]);
  expect(focused, "after \"Xem thêm\", focus is on the first new result");
  await page.close();
}
r = await search(site, "xyzxyz");
expect(r.status.includes("Không tìm thấy"), `no results are announced: ${r.status}`);
console.log("checked search");

await browser.close();
console.log(`${checks - failedChecks} passed, ${failedChecks} failed`);
process.exit(failedChecks ? 1 : 0);
