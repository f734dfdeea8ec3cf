// The search script the theme ships (themes/daihai/static/js/tim-kiem.js), run as it is in Node
// (tests/js/harness.mjs) against the index of the sample site. Run after a build of it:
//   cargo run --release -- build -o target/ci-public && node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { repo, search as searchIn } from "./harness.mjs";

const site = process.env.CDS_SITE || path.join(repo, "target/ci-public");
const search = (q) => searchIn(site, q);

test("a query without accents finds the pages written with them", async () => {
  const r = await search("chuyen doi so");
  assert.ok(r.items.length > 3, r.status);
  assert.match(r.status, /^Tìm thấy/);
  assert.ok(r.items.some((i) => /chuyển đổi số/i.test(i.title)), JSON.stringify(r.items));
});

test("a document number finds its document page first", async () => {
  const r = await search("57-NQ/TW");
  assert.ok(r.items.length > 0, r.status);
  assert.match(r.items[0].href, /van-ban\/57-nq-tw\/$/, JSON.stringify(r.items));
});

test("the words found are marked in titles, whatever their accents", async () => {
  const r = await search("vneid");
  assert.ok(r.items.length > 0, r.status);
  const marked = r.items.filter((i) => /vneid/i.test(i.title));
  assert.ok(marked.length > 0, JSON.stringify(r.items));
});

test("a word on no page says so in Vietnamese", async () => {
  const r = await search("khinhkhicau");
  assert.equal(r.items.length, 0);
  assert.match(r.status, /^Không tìm thấy kết quả nào cho “khinhkhicau”/);
});
