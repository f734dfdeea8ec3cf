// The browser editor end to end, in Debian's Chromium (playwright-core), against `cds serve`
// on a copy of the sample site kept in a Git repository of its own:
// - the list: every page, filtered by an accent-free search;
// - a new article: title and body typed through IME composition events (as Unikey and the
//   Windows IME send them, decomposed), every form field filled, shown by the live preview
//   before it is saved (a broken link listed at its body line), saved as NFC, published,
//   shown in the preview and in a following `cds build`;
// - a phone photo with EXIF rotation picked: its description asked, the page made a bundle,
//   the photo upright in the preview and its variants in the build;
// - one field of an existing file with comments changed: `git diff` shows that line only;
// - a file changed on disk since it was opened: never overwritten, both versions shown; the
//   disk's taken, or one's changes kept over it with the fields and text only the disk changed;
// - a browser reload with unsaved text: the text is offered back;
// - scheduling: a date to come is asked for, then written in the file's own date style;
// - axe-core (WCAG 2.1 A and AA) on the list and the edit view, at phone and desktop widths.
//
//   node tests/e2e/editor.mjs [path/to/cds]      # what tests/e2e/run.sh runs
import { createRequire } from "node:module";
import { spawn, execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(join(repo, "tests/e2e/package.json"));
const { chromium } = require("playwright-core");
const axePath = require.resolve("axe-core/axe.min.js");
const binary = process.argv[2] || join(repo, "target/release/cds");
// Pictures for the editors' guide (dist/make_zip.py puts them in HƯỚNG DẪN.html).
const shots = join(repo, "target/e2e/screenshots");
mkdirSync(shots, { recursive: true });

let failures = 0;
const fail = (what) => { console.log(`FAIL ${what}`); failures++; };
const ok = (cond, what) => { if (!cond) fail(what); else console.log(`ok   ${what}`); };

const site = mkdtempSync(join(tmpdir(), "cds-editor-"));
for (const name of ["config.yaml", "content", "themes"]) cpSync(join(repo, name), join(site, name), { recursive: true });
const existing = "content/tin-tuc/boi-duong-ky-nang-so-cho-can-bo.md";
const withComment = readFileSync(join(site, existing), "utf8").replace("---\n", "---\n# Bài của Văn phòng; đừng xóa dòng này\n");
writeFileSync(join(site, existing), withComment);
const git = (...a) => execFileSync("git", ["-C", site, ...a], { encoding: "utf8" });
git("init", "-q");
git("-c", "user.name=t", "-c", "user.email=t@t", "add", "-A");
git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "mẫu");

const server = spawn(binary, ["serve", "--root", site, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
// The site's preview and the editor answer on two ports: two origins.
const [link, siteUrl] = await new Promise((resolve, reject) => {
  let seen = "";
  const look = (chunk) => {
    seen += chunk;
    const editor = seen.match(/http:\/\/127\.0\.0\.1:\d+\/\?khoa=[0-9a-f]+/);
    const site = seen.match(/http:\/\/127\.0\.0\.1:\d+\/chuyen-doi-so\//);
    if (editor && site) resolve([editor[0], site[0]]);
  };
  server.stdout.on("data", look);
  server.stderr.on("data", look);
  server.once("exit", () => reject(new Error(`cds serve ended: ${seen}`)));
});
const origin = new URL(link).origin;
const siteOrigin = new URL(siteUrl).origin;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
// axe-core is injected as a script, which the editor's Content-Security-Policy refuses.
const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, bypassCSP: true });
const page = await context.newPage();
page.on("dialog", (d) => d.accept());
page.on("pageerror", (e) => fail(`script error: ${e.message}`));
const cdp = await context.newCDPSession(page);

async function axe(where) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  for (const v of result.violations) {
    fail(`${where}: axe ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join("; ")}`);
  }
  if (!result.violations.length) console.log(`ok   ${where}: axe, no violation`);
}

// Types `text` as an IME does: each syllable composed (decomposed letters, as Unikey's
// "tổ hợp" output and the Windows IME send), then committed with insertText.
async function imeType(selector, text) {
  await page.focus(selector);
  for (const word of text.split(/(\s+)/)) {
    if (!word) continue;
    if (/^\s+$/.test(word)) { await cdp.send("Input.insertText", { text: word }); continue; }
    const nfd = word.normalize("NFD");
    for (let i = 1; i <= nfd.length; i++) {
      await cdp.send("Input.imeSetComposition", { text: nfd.slice(0, i), selectionStart: i, selectionEnd: i });
    }
    await cdp.send("Input.insertText", { text: nfd });
  }
}

const disk = (rel) => readFileSync(join(site, rel), "utf8");
const until = async (what, test, ms = 15000) => {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await test()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  fail(`${what}: not within ${ms} ms`);
  return false;
};

try {
  // ---- the list ----
  await page.goto(link);
  ok(!page.url().includes("khoa="), "the secret leaves the address bar");
  await page.waitForSelector("#pages tbody tr");
  const rows = await page.locator("#pages tbody tr").count();
  ok(rows >= 15, `the list shows every page (${rows})`);
  await page.fill("#q", "chuyen doi so");
  const titles = await page.locator("#pages tbody tr td:first-child").allTextContents();
  ok(titles.length > 0 && titles.length < rows && titles.every((t) => /chuyển đổi số/i.test(t)),
    `accent-free search finds "Chuyển đổi số" (${titles.length} rows)`);
  await page.fill("#q", "");
  await page.selectOption("#f-status", "published");
  ok((await page.locator("#pages tbody tr td.status").allTextContents()).every((s) => s === "Đã đăng"), "the status filter");
  await page.selectOption("#f-status", "");
  await page.screenshot({ path: join(shots, "editor-list.png") });
  await axe("list @1366");
  await page.setViewportSize({ width: 360, height: 800 });
  await axe("list @360");
  await page.setViewportSize({ width: 1366, height: 900 });

  // ---- a new article, typed through the IME ----
  await page.selectOption("#new-section", "tin-tuc");
  const title = "Hội nghị số hóa ấp Phú Hữu";
  await imeType("#new-title", title);
  await page.click("#new-form button[type=submit]");
  await page.waitForSelector("#f-title");
  let created = "content/tin-tuc/hoi-nghi-so-hoa-ap-phu-huu.md";
  ok(existsSync(join(site, created)), "the new article's file exists");
  ok((await page.inputValue("#f-title")) === title, "the form opens with its title");
  await imeType("#f-summary", "Ấp Phú Hữu triển khai thanh toán không dùng tiền mặt.");
  await page.selectOption("#f-category", "Kinh tế số");
  await page.fill("#f-tags", "vneid, Thanh toán số");
  await page.locator("#f-tags").dispatchEvent("change");
  await page.locator("#f-documents").pressSequentially("ke hoach so 06");
  await page.waitForSelector("#f-documents[aria-expanded=true]");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  ok((await page.inputValue("#f-documents")).startsWith("06/KH-UBND"), `a document picked by its title without accents: ${await page.inputValue("#f-documents")}`);
  await page.fill("#f-author", "Nguyễn Văn A");
  await page.fill("#f-unit", "");
  await imeType("#f-unit", "Ấp Phú Hữu");
  await page.fill("#f-date", "2026-12-01T08:30");
  await page.locator("#body").fill("");
  await imeType("#body", "Người dân ấp Phú Hữu được hướng dẫn cài đặt ứng dụng ngân hàng.");
  const framed = async (needle, frame = "#preview") => {
    try { return (await page.frameLocator(frame).locator("body").textContent({ timeout: 500 })).includes(needle); } catch { return false; }
  };
  await until("the live preview of unsaved text", () => framed("được hướng dẫn cài đặt", "#draft-preview"));
  ok(!disk(created).includes("được hướng dẫn cài đặt"), "the live preview saved nothing");
  await page.locator("#body").press("End");
  await imeType("#body", " Xem [hướng dẫn](@/khong-co.md).");
  await until("a problem shown at its body line", async () => (await page.textContent("#problems")).includes("dòng 1"));
  await page.locator("#body").fill("Người dân ấp Phú Hữu được hướng dẫn cài đặt ứng dụng ngân hàng.");
  await until("the problem gone once fixed", async () => await page.locator("#problems-box").isHidden());
  await page.keyboard.press("Control+s");
  await until("the save", async () => disk(created).includes("Người dân ấp Phú Hữu"));
  const text = disk(created);
  ok(text === text.normalize("NFC"), "the saved file is NFC");
  ok(text.includes("Ấp Phú Hữu triển khai thanh toán"), "the summary is saved");
  ok(/category: Kinh tế số/.test(text), "the category is saved");
  ok(/tags: \[VNeID, Thanh toán số\]/.test(text), `the tag takes the spelling in use: ${(text.match(/tags:.*/) || [])[0]}`);
  ok(/draft: true/.test(text), "still a draft");
  ok(/unit: "Ấp Phú Hữu"/.test(text), `the unit is saved, quoted as cds new wrote it: ${(text.match(/unit:.*/) || [])[0]}`);
  ok(/date: 01\/12\/2026 08:30/.test(text), `the date picker's time is written as the file writes dates: ${(text.match(/date:.*/) || [])[0]}`);
  ok(/documents: \[06\/KH-UBND\]/.test(text), `the document is saved: ${(text.match(/documents:.*/) || [])[0]}`);
  // ---- a phone photo, taken sideways (EXIF orientation 6) ----
  const photo = join(site, "anh-dien-thoai.jpg");
  execFileSync("python3", ["-c", `
import sys, piexif
from PIL import Image
img = Image.new("RGB", (800, 600), (200, 60, 40))
for x in range(0, 800, 40):
    for y in range(0, 300):
        img.putpixel((x, y), (20, 120, 200))
exif = piexif.dump({"0th": {piexif.ImageIFD.Orientation: 6}})
img.save(sys.argv[1], "JPEG", quality=85, exif=exif)
`, photo]);
  await page.setInputFiles("#pick-file", photo);
  await page.waitForSelector("#photo-dialog[open]");
  await page.click("#photo-form button[value=ok]");
  ok(await page.locator("#photo-dialog[open]").count() === 1, "a photo needs its description");
  await imeType("#photo-alt", "Người dân cài ứng dụng ngân hàng");
  await page.click("#photo-form button[value=ok]");
  await until("the photo in the text", async () => (await page.inputValue("#body")).includes("](anh-dien-thoai.jpg)"));
  created = "content/tin-tuc/hoi-nghi-so-hoa-ap-phu-huu/index.md";
  ok(existsSync(join(site, created)) && existsSync(join(site, "content/tin-tuc/hoi-nghi-so-hoa-ap-phu-huu/anh-dien-thoai.jpg")),
    "the article became a bundle holding the photo");
  await page.fill("#f-image", "anh-dien-thoai.jpg");
  await imeType("#f-image_alt", "Người dân cài ứng dụng ngân hàng");
  await page.keyboard.press("Control+s");
  await until("the save with the photo", async () => disk(created).includes("![Người dân cài ứng dụng ngân hàng](anh-dien-thoai.jpg)"));
  ok(/image: anh-dien-thoai\.jpg/.test(disk(created)) && /image_alt: Người dân/.test(disk(created)), "the cover photo and its description are saved");
  await until("the photo upright in the preview", async () => {
    try {
      return await page.frameLocator("#preview").locator("img[src*=anh-dien-thoai]").first().evaluate(
        (img) => img.complete && img.naturalHeight > img.naturalWidth && img.naturalWidth > 0, null, { timeout: 500 });
    } catch { return false; }
  }, 30000);

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, "editor-form.png") });
  await axe("edit @1366");
  await page.setViewportSize({ width: 360, height: 800 });
  await axe("edit @360");
  await page.setViewportSize({ width: 1366, height: 900 });

  await page.click("#publish");
  await until("publishing", async () => /draft: false/.test(disk(created)));
  ok((await page.textContent("#page-state")).includes("Đã đăng"), "the state says published");
  const previewUrl = `${siteOrigin}/chuyen-doi-so/tin-tuc/hoi-nghi-so-hoa-ap-phu-huu/`;
  await until("the preview", () => framed("Người dân ấp Phú Hữu"));
  ok(await page.getAttribute("#preview", "src") === previewUrl, "the preview frames the article from the site's origin, not the editor's");

  // ---- one field of an existing file ----
  await page.goto(`${origin}/#/sua/${encodeURIComponent(existing)}`);
  await page.waitForSelector("#f-summary");
  await page.fill("#f-summary", "Tóm tắt mới của lớp bồi dưỡng.");
  await page.click("#save");
  await until("the one-field save", async () => disk(existing).includes("Tóm tắt mới"));
  const numstat = git("diff", "--numstat").trim();
  ok(numstat === `1\t1\t${existing}`, `git diff shows one line changed: ${JSON.stringify(numstat)}`);
  ok(disk(existing).includes("# Bài của Văn phòng; đừng xóa dòng này"), "the comment is kept");

  // ---- a conflict with Notepad ----
  await page.reload();
  await page.waitForSelector("#f-summary");
  const notepad = disk(existing).replace("Tóm tắt mới", "Tóm tắt sửa bằng Notepad");
  writeFileSync(join(site, existing), notepad);
  await page.fill("#f-summary", "Tóm tắt từ trình duyệt.");
  await page.click("#save");
  await page.waitForSelector("#conflict:not([hidden])");
  ok(disk(existing) === notepad, "the disk's version is not overwritten");
  ok((await page.inputValue("#conflict-disk")).includes("Tóm tắt sửa bằng Notepad"), "the disk's version is shown");

  await page.click("#take-disk");
  await page.waitForSelector("#conflict", { state: "hidden" });
  await until("the disk's version in the form", async () => (await page.inputValue("#f-summary")).includes("Notepad"));

  // ---- keeping one's changes over Notepad's keeps Notepad's other changes ----
  const oldTitle = await page.inputValue("#f-title");
  writeFileSync(join(site, existing), `${disk(existing).trimEnd()}\n\nĐoạn thêm bằng Notepad.\n`);
  await page.fill("#f-title", `${oldTitle} (sửa)`);
  await page.click("#save");
  await page.waitForSelector("#conflict:not([hidden])");
  await page.click("#keep-mine");
  await page.waitForSelector("#conflict", { state: "hidden" });
  await until("the save over Notepad's", async () => disk(existing).includes("(sửa)"));
  ok(disk(existing).includes("Đoạn thêm bằng Notepad.") && disk(existing).includes("Tóm tắt sửa bằng Notepad"),
    "keeping one's changes keeps the fields and text Notepad changed");
  ok((await page.inputValue("#body")).includes("Đoạn thêm bằng Notepad."), "the form shows what was kept from the disk");

  // ---- unsaved work survives a reload ----
  await page.locator("#body").fill(`${await page.inputValue("#body")}\nĐoạn chưa lưu.`);
  await page.waitForTimeout(600);
  page.removeAllListeners("dialog");
  page.on("dialog", (d) => d.accept());
  await page.reload();
  await page.waitForSelector("#restore:not([hidden])");
  await page.click("#restore-yes");
  ok((await page.inputValue("#body")).includes("Đoạn chưa lưu."), "unsaved text is offered back after a reload");

  // ---- scheduling ----
  const later = "content/tin-tuc/to-cong-nghe-so-den-tung-nha.md";
  await page.goto(`${origin}/#/sua/${encodeURIComponent(later)}`);
  await page.waitForSelector("#f-date");
  await page.click("#schedule");
  ok((await page.textContent("#status")).includes("ngày giờ đăng trong tương lai"), "scheduling asks for a date to come first");
  await page.fill("#f-date", "2099-01-01T08:00");
  ok((await page.textContent("#page-state")).includes("Hẹn giờ"), "the state says scheduled");
  await page.click("#schedule");
  await until("the schedule", async () => /date: 2099-01-01 08:00/.test(disk(later)));
  ok(!/draft: true/.test(disk(later)), "a scheduled page is no draft");
} catch (e) {
  fail(`exception: ${e.stack || e}`);
} finally {
  await browser.close();
  server.kill();
}

// ---- a following build ----
const out = mkdtempSync(join(tmpdir(), "cds-editor-out-"));
rmSync(out, { recursive: true, force: true });
execFileSync(binary, ["build", "--root", site, "-o", out], { stdio: "inherit" });
const built = join(out, "tin-tuc/hoi-nghi-so-hoa-ap-phu-huu/index.html");
ok(existsSync(built) && readFileSync(built, "utf8").includes("Hội nghị số hóa ấp Phú Hữu"), "cds build publishes the new article");
ok(existsSync(built) && /anh-dien-thoai[^"]*\.webp/.test(readFileSync(built, "utf8")), "with its photo's variants");
rmSync(out, { recursive: true, force: true });
rmSync(site, { recursive: true, force: true });
console.log(failures ? `editor: ${failures} failure(s)` : "editor: every check passed");
process.exit(failures ? 1 : 0);
