// "In / Lưu PDF" (NĐ 42/2022/NĐ-CP Điều 7: a visitor can print and save each article), checked
// in Debian's Chromium: the button is on articles and documents and prints; in print, the menu,
// the search form, the share buttons and the button itself are gone and the source address is
// there; and each page prints on at most the A4 pages given (a short article: one), counted
// in Chromium's print-to-PDF.
//   node tests/e2e/print.mjs BASE PDF_DIR PATH=PAGES...
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";

const [base, pdfs, ...wanted] = process.argv.slice(2);
mkdirSync(pdfs, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
let failures = 0;
const fail = (what) => { console.log(`FAIL ${what}`); failures++; };
for (const [path, most] of wanted.map((w) => w.split("="))) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(base + path, { waitUntil: "load" });
  const button = page.getByRole("button", { name: "In / Lưu PDF" });
  if (!(await button.isVisible())) fail(`${path}: no visible "In / Lưu PDF" button`);
  await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed++; }; });
  await button.click();
  if ((await page.evaluate(() => window.__printed)) !== 1) fail(`${path}: the button does not print`);
  await page.emulateMedia({ media: "print" });
  const hidden = await page.evaluate(() => {
    const shown = (sel) => [...document.querySelectorAll(sel)]
      .filter((e) => getComputedStyle(e).display !== "none" && e.getClientRects().length > 0);
    return {
      menu: shown(".site-header .nav").length,
      search: shown("form[role=search]").length,
      share: shown(".share a, .share button").length,
      source: shown(".print-source").map((e) => e.textContent.trim()),
      permalink: document.querySelector('link[rel="canonical"]')?.href,
    };
  });
  if (hidden.menu) fail(`${path}: the menu prints`);
  if (hidden.search) fail(`${path}: the search form prints`);
  if (hidden.share) fail(`${path}: share buttons print`);
  if (!hidden.source.some((t) => t.includes(hidden.permalink || "http")))
    fail(`${path}: the source address does not print (${hidden.source}, ${hidden.permalink})`);
  const file = `${pdfs}/${path.replace(/\W+/g, "-")}.pdf`;
  await page.pdf({ path: file, format: "A4", printBackground: false });
  const pdf = readFileSync(file, "latin1");
  const pages = (pdf.match(/\/Type\s*\/Page(?!s)/g) || []).length;
  if (pages < 1 || pages > Number(most)) fail(`${path}: ${pages} pages in print, more than ${most}`);
  console.log(`print ${path}: ${pages} of at most ${most} A4 pages, source ${hidden.source[0]}`);
  await page.close();
}
await browser.close();
if (failures) { console.log(`${failures} print checks failed`); process.exit(1); }
