// The search script the theme ships (themes/daihai/static/js/tim-kiem.js), run as it is in Node
// against an index cds built: a minimal document stands in for the browser's, and fetch reads
// the index files from disk. Run after a build of the sample site:
//   cargo run --release -- build -o target/ci-public && node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import vm from "node:vm";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const site = process.env.CDS_SITE || path.join(repo, "target/ci-public");
const script = await readFile(path.join(repo, "themes/daihai/static/js/tim-kiem.js"), "utf8");

/** An element with just what the script uses. */
function element(tag) {
  return {
    tag, children: [], attributes: {}, className: "", hidden: false, href: "", value: "",
    parentNode: null, listeners: {}, classList: { add() {} },
    set textContent(t) { this.children = t ? [{ text: String(t) }] : []; },
    get textContent() { return this.children.map((c) => c.text ?? c.textContent).join(""); },
    appendChild(c) { c.parentNode = this; this.children.push(c); return c; },
    getAttribute(n) { return this.attributes[n] ?? null; },
    addEventListener(n, f) { this.listeners[n] = f; },
    querySelector(tag) { return find(this, (e) => e.tag === tag); },
  };
}

function find(el, pred) {
  for (const c of el.children || []) {
    if (pred(c)) return c;
    const deeper = find(c, pred);
    if (deeper) return deeper;
  }
  return null;
}

/** Runs the script on the search page for `q`; resolves with the results shown. */
async function search(q) {
  const ids = {};
  for (const id of ["ket-qua", "trang-thai", "danh-sach", "o-tim-kiem", "form-tim-kiem"]) ids[id] = element("div");
  ids["ket-qua"].attributes["data-chi-muc"] = "/chuyen-doi-so/tim-kiem/chi-muc/";
  ids["ket-qua"].appendChild(ids["danh-sach"]);
  const documentStub = {
    getElementById: (id) => ids[id] || null,
    createElement: element,
    createTextNode: (text) => ({ text }),
    documentElement: element("html"),
  };
  const fetchFile = async (url) => {
    const rel = url.replace(/^\/chuyen-doi-so\//, "");
    try {
      const body = await readFile(path.join(site, rel), "utf8");
      return { ok: true, json: async () => JSON.parse(body) };
    } catch {
      return { ok: false, status: 404 };
    }
  };
  const window = { fetch: fetchFile, TextEncoder };
  const context = vm.createContext({
    window, document: documentStub, fetch: fetchFile, TextEncoder, URLSearchParams, Promise,
    location: { search: "?q=" + encodeURIComponent(q) }, history: { replaceState() {} },
  });
  vm.runInContext(script, context);
  const status = ids["trang-thai"];
  for (let i = 0; i < 200 && /^(Đang tìm…)?$/.test(status.textContent); i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const items = ids["danh-sach"].children.map((li) => {
    const a = li.querySelector("a");
    return { href: a.href, title: a.textContent };
  });
  return { status: status.textContent, items };
}

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
