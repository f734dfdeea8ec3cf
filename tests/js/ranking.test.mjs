// What queries find and in which order, run by the theme's own search script on sites built
// for each case (these were checked against a Rust copy of the script, now gone: the script is
// the one that runs in browsers). Needs the release binary: cargo build --release.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { buildSite, repo, search } from "./harness.mjs";

const SITE = {
  "content/tin-tuc/_index.md": "---\ntitle: Tin tức\n---\n",
  "content/van-ban/_index.md": "---\ntitle: Văn bản\nkind: document\n---\n",
  "content/van-ban/57.md":
    "---\ntitle: Nghị quyết về đột phá phát triển khoa học\ndate: 2024-12-22\ndocument:\n  number: 57-NQ/TW\n  type: Nghị quyết\n  abstract: Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia\n---\nNội dung.\n",
  "content/tin-tuc/doi-moi.md": "---\ntitle: Đổi mới cách làm\ndate: 2026-03-01\n---\nXã đổi mới thủ tục.\n",
  "content/tin-tuc/doi-dep.md": "---\ntitle: Đôi dép của bà\ndate: 2026-03-02\n---\nMột đôi dép cũ.\n",
  "content/tin-tuc/cds.md":
    "---\ntitle: Hội nghị\ndate: 2026-02-01\ntags: [VNeID]\n---\nTuyên truyền chuyển đổi số cho người dân.\n",
  "content/tin-tuc/nhap.md": "---\ntitle: Bản nháp chuyển đổi số\ndraft: true\n---\nChuyển đổi số.\n",
};
const NQ57 = "Nghị quyết về đột phá phát triển khoa học";

const site = await buildSite(SITE);
const titles = async (where, q) => (await search(where, q)).items.map((i) => i.title);

test("accented text is found from queries without accents; drafts never", async () => {
  const found = await titles(site, "chuyen doi so");
  assert.ok(found.includes("Hội nghị"), JSON.stringify(found));
  assert.ok(found.includes(NQ57), JSON.stringify(found));
  assert.ok(!found.some((t) => t.includes("Bản nháp")), JSON.stringify(found));
});

test("exact tones rank above folded ones", async () => {
  assert.equal((await titles(site, "đổi"))[0], "Đổi mới cách làm");
  assert.equal((await titles(site, "đôi"))[0], "Đôi dép của bà");
  const plain = await titles(site, "doi");
  assert.ok(plain.includes("Đổi mới cách làm") && plain.includes("Đôi dép của bà"), JSON.stringify(plain));
});

test("a document is found by its number in every spelling", async () => {
  for (const q of ["57", "57-NQ/TW", "57 nq tw", "nghị quyết 57", "nghi quyet 57"]) {
    assert.equal((await titles(site, q))[0], NQ57, q);
  }
});

test("stop words never empty a query, and phrases rank first", async () => {
  assert.ok((await titles(site, "chuyển đổi số và")).length > 0);
  assert.equal((await titles(site, "tuyên truyền chuyển đổi số"))[0], "Hội nghị");
});

test("a query downloads little, and the script is small", async () => {
  const r = await search(site, "chuyen doi so");
  assert.ok(r.bytes < 30 * 1024, `${r.bytes} bytes for a two-word query on a small site`);
  const { stat } = await import("node:fs/promises");
  const script = await stat(path.join(site, "js/tim-kiem.js"));
  assert.ok(script.size < 10 * 1024, `search script ${script.size} bytes`);
});

test("queries on the sample site find pages and download under 30 KB", async () => {
  const sample = process.env.CDS_SITE || path.join(repo, "target/ci-public");
  for (const q of ["chuyen doi", "dịch vụ", "thanh toán", "Nghị quyết", "57-NQ/TW"]) {
    const r = await search(sample, q);
    assert.ok(r.items.length > 0, `${q} finds nothing on the sample site`);
    assert.ok(r.bytes < 30 * 1024, `${q}: ${r.bytes} bytes`);
  }
});

test("a document outranks the pages that cite its number", async () => {
  const cited = await buildSite({
    ...SITE,
    "content/van-ban/71.md":
      "---\ntitle: Nghị quyết số 71/NQ-CP thực hiện Nghị quyết 57-NQ/TW\ndate: 2025-04-01\ndocument:\n  number: 71/NQ-CP\n  type: Nghị quyết\n  abstract: Cập nhật Chương trình hành động thực hiện Nghị quyết 57-NQ/TW, Nghị quyết 57\n---\n",
  });
  for (const q of ["nghi quyet 57", "57", "57-NQ/TW"]) {
    assert.equal((await titles(cited, q))[0], NQ57, q);
  }
  assert.equal((await titles(cited, "71"))[0], "Nghị quyết số 71/NQ-CP thực hiện Nghị quyết 57-NQ/TW");
});

test("a rare word finds its page even among very common words", async () => {
  // More pages than a key lists (meta.max, 300): "chuyển đổi số" is cut to the best pages,
  // and the oldest page, whose only distinction is a rare word, falls outside that cut.
  const files = { "content/tin-tuc/_index.md": "---\ntitle: Tin tức\n---\n" };
  for (let n = 0; n < 320; n++) {
    files[`content/tin-tuc/tin-${n}.md`] = `---\ntitle: Tin ${n}\ndate: 2026-01-02\n---\nChuyển đổi số ở ấp ${n}.\n`;
  }
  files["content/tin-tuc/cu.md"] = "---\ntitle: Tin cũ\ndate: 2020-01-01\n---\nChuyển đổi số với khinhkhicau.\n";
  const many = await buildSite(files);
  const common = await search(many, "chuyển đổi số");
  assert.match(common.status, /^Tìm thấy rất nhiều trang/, "a cut list must be reported");
  assert.deepEqual(await titles(many, "chuyển đổi số khinhkhicau"), ["Tin cũ"]);
  assert.deepEqual(await titles(many, "chuyen doi so khinhkhicau"), ["Tin cũ"]);
});
