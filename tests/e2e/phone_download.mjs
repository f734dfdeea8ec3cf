// What a cheap phone downloads for an article with five camera photos (issue #18), run by
// tests/e2e/run.sh: Chromium at 360×800 CSS px and device pixel ratio 2 opens the page, scrolls
// to the end so every lazy photo loads, and adds up the bytes of every response. Fails when the
// total is over the budget, when a photo comes as its original, or when one is not shown.
//
//   node tests/e2e/phone_download.mjs http://127.0.0.1:8000/anh/tin-tuc/bai-anh-1/ [budget KB]
import { chromium } from "playwright-core";

const [url, budgetArg] = process.argv.slice(2);
const budget = Number(budgetArg || 400) * 1024;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
const context = await browser.newContext({
  viewport: { width: 360, height: 800 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
});
const page = await context.newPage();
const responses = [];
page.on("response", (r) => responses.push(r));
await page.goto(url, { waitUntil: "load" });
// Scroll a screen at a time, as a reader does, so each lazy photo is asked for.
for (;;) {
  const done = await page.evaluate(() => {
    window.scrollBy(0, window.innerHeight);
    return window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1;
  });
  await page.waitForTimeout(150);
  if (done) break;
}
await page.waitForLoadState("networkidle");
const photos = await page.evaluate(() =>
  [...document.querySelectorAll(".content img, .lead-image img")].map((img) => ({
    src: img.currentSrc,
    complete: img.complete && img.naturalWidth > 0,
    natural: img.naturalWidth,
  })));

let total = 0;
const rows = [];
for (const r of responses) {
  let size = 0;
  try {
    size = (await r.body()).length;
  } catch {
    // A redirect or an aborted request has no body.
  }
  total += size;
  rows.push([size, new URL(r.url()).pathname]);
}
rows.sort((a, b) => b[0] - a[0]);
for (const [size, path] of rows) console.log(`${(size / 1024).toFixed(1).padStart(8)} KB  ${path}`);
console.log(`${(total / 1024).toFixed(1).padStart(8)} KB  in all, ${responses.length} requests, ` +
            `${photos.length} photos on the page`);

let failures = 0;
const fail = (why) => { console.log(`FAIL ${why}`); failures++; };
if (photos.length < 5) fail(`only ${photos.length} photos on the page`);
for (const p of photos) {
  if (!p.complete) fail(`${p.src} is not shown`);
  // Variants are named after their width (anh-1-<hash>-800.webp); originals are anh-1.jpg.
  if (!/-\d+\.[0-9a-f]+\.(webp|jpg|png)$/.test(p.src)) fail(`${p.src} is not a published variant`);
  if (p.natural > 1200) fail(`${p.src} is ${p.natural} px wide`);
}
if (total > budget) fail(`the page costs ${(total / 1024).toFixed(0)} KB, over ${budget / 1024} KB`);
await browser.close();
process.exit(failures ? 1 : 0);
