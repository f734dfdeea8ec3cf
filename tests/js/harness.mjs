// What the Node tests of the theme's search script share: the script run as it is against an
// index on disk (a minimal document stands in for the browser's, fetch reads the files), and
// sites built into temp folders by the cds binary, as the Rust integration tests build theirs.
import { readFile, mkdtemp, mkdir, writeFile, cp } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import vm from "node:vm";

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const script = await readFile(path.join(repo, "themes/daihai/static/js/tim-kiem.js"), "utf8");

/** The configuration of the Rust tests' fixtures (tests/common). */
export const CONFIG =
  "base_url: https://daihai.cantho.gov.vn/chuyen-doi-so/\ntitle: Chuyển đổi số xã Đại Hải\n" +
  "description: Chuyên mục thử\npaginate_by: 2\ncategories: [Chính quyền số, Kinh tế số, Xã hội số]\n";

/** Builds a site of `files` (path under the site root → text) with the default theme; its output folder. */
export async function buildSite(files) {
  const root = await mkdtemp(path.join(tmpdir(), "cds-tim-kiem-"));
  await cp(path.join(repo, "themes"), path.join(root, "themes"), { recursive: true });
  await writeFile(path.join(root, "config.yaml"), CONFIG);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  const binary = process.env.CDS_BIN || path.join(repo, "target/release/cds");
  execFileSync(binary, ["build", "--root", root, "-o", path.join(root, "public")], { stdio: "pipe" });
  return path.join(root, "public");
}

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

/** Runs the script on the search page of the built `site` for `q`: the status line, the
 *  results shown (href, title) best first, and the bytes of index files it fetched. */
export async function search(site, q) {
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
  let bytes = 0;
  const fetchFile = async (url) => {
    const rel = url.replace(/^\/chuyen-doi-so\//, "");
    try {
      const body = await readFile(path.join(site, rel), "utf8");
      bytes += Buffer.byteLength(body);
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
  for (let i = 0; i < 400 && /^(Đang tìm…)?$/.test(status.textContent); i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const items = ids["danh-sach"].children.map((li) => {
    const a = li.querySelector("a");
    return { href: a.href, title: a.textContent };
  });
  return { status: status.textContent, items, bytes };
}
