// The browser editor of `cds serve`: the list of pages and the edit view. No framework, no
// key handling during IME composition (Unikey, Telex, VNI and the Windows IME type into a
// plain <textarea> exactly as in Notepad). Every write sends the secret in X-CDS-Khoa.
"use strict";
(function () {
  var meta = function (name) { return document.querySelector('meta[name="' + name + '"]').content; };
  var token = meta("cds-token"), base = meta("cds-base");
  var $ = function (id) { return document.getElementById(id); };
  var PAGE_ROWS = 200;
  var STATUS = { draft: "Nháp", scheduled: "Hẹn giờ", published: "Đã đăng", expired: "Hết hạn" };
  var catalog = null, shown = PAGE_ROWS, current = null;

  // The search's folding: no tones or marks, đ → d, lower case (the same rule as the site's search).
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase();
  }

  function say(text) { $("status").textContent = text; }

  function api(method, path, body) {
    var init = { method: method, headers: {}, credentials: "same-origin" };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.headers["X-CDS-Khoa"] = token;
      init.body = JSON.stringify(body);
    }
    return fetch(base + path, init).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        return { status: r.status, ok: r.ok, data: data };
      });
    });
  }

  // ---- list ----
  function loadCatalog() {
    return api("GET", "api/pages").then(function (r) {
      if (!r.ok) { say(r.data.error || "Không tải được danh sách bài."); return; }
      catalog = r.data;
      var names = {};
      catalog.sections.forEach(function (s) { names[s.dir] = s.title; });
      catalog.names = names;
      fillSections();
      renderList();
    });
  }

  function fillSections() {
    var choose = $("f-section"), create = $("new-section");
    choose.length = 1;
    create.length = 0;
    catalog.sections.forEach(function (s) {
      if (!s.dir) return;
      choose.add(new Option(s.title, s.dir));
      create.add(new Option(s.title, s.dir));
    });
  }

  function matching() {
    var q = fold($("q").value.trim()), section = $("f-section").value, status = $("f-status").value;
    var words = q ? q.split(/\s+/) : [];
    return catalog.pages.filter(function (p) {
      if (section && p.section !== section) return false;
      if (status && p.status !== status) return false;
      for (var i = 0; i < words.length; i++) if (p.key.indexOf(words[i]) < 0) return false;
      return true;
    });
  }

  function cell(row, text) { var td = row.insertCell(); td.textContent = text || ""; return td; }

  function renderList() {
    if (!catalog) return;
    var found = matching(), body = document.createElement("tbody");
    found.slice(0, shown).forEach(function (p) {
      var row = body.insertRow(), link = document.createElement("a");
      link.href = "#/sua/" + encodeURIComponent(p.path);
      link.textContent = p.title;
      row.insertCell().appendChild(link);
      cell(row, catalog.names[p.section] || p.section);
      cell(row, p.date_text);
      cell(row, STATUS[p.status]).className = "status " + p.status;
      cell(row, p.unit);
      cell(row, p.author);
    });
    $("pages").replaceChild(body, $("pages").tBodies[0]);
    var total = catalog.pages.length;
    $("count").textContent = found.length === total
      ? total.toLocaleString("vi-VN") + " bài"
      : found.length.toLocaleString("vi-VN") + " trên " + total.toLocaleString("vi-VN") + " bài";
    $("more").hidden = found.length <= shown;
  }

  function relist() { shown = PAGE_ROWS; renderList(); }

  // ---- edit ----
  function draftKey(path) { return "cds-ban-nhap:" + path; }

  function openFile(path) {
    current = null;
    $("conflict").hidden = true;
    $("restore").hidden = true;
    $("edit-path").textContent = path;
    return api("GET", "api/file?path=" + encodeURIComponent(path)).then(function (r) {
      if (!r.ok) { say(r.data.error); return; }
      current = { path: path, version: r.data.version, saved: r.data.text };
      $("text").value = r.data.text;
      var page = catalog && catalog.pages.find(function (p) { return p.path === path; });
      $("edit-title").textContent = page ? page.title : path;
      var url = page ? page.url : null;
      $("open-page").hidden = !url;
      if (url) { $("open-page").href = url; if ($("preview").getAttribute("src") !== url) $("preview").src = url; }
      offerDraft();
    });
  }

  function offerDraft() {
    var kept = null;
    try { kept = JSON.parse(localStorage.getItem(draftKey(current.path)) || "null"); } catch (e) { kept = null; }
    if (!kept || kept.text === current.saved) return;
    $("restore-at").textContent = new Date(kept.at).toLocaleString("vi-VN");
    $("restore").hidden = false;
    $("restore-yes").onclick = function () { $("text").value = kept.text; $("restore").hidden = true; };
    $("restore-no").onclick = function () { localStorage.removeItem(draftKey(current.path)); $("restore").hidden = true; };
  }

  var keepTimer = 0;
  function keepDraft() {
    clearTimeout(keepTimer);
    keepTimer = setTimeout(function () {
      if (!current) return;
      var text = $("text").value;
      if (text === current.saved) localStorage.removeItem(draftKey(current.path));
      else localStorage.setItem(draftKey(current.path), JSON.stringify({ text: text, version: current.version, at: Date.now() }));
    }, 300);
  }

  function save(version) {
    if (!current) return;
    var text = $("text").value.normalize("NFC");
    say("Đang lưu…");
    api("POST", "api/save", { path: current.path, version: version || current.version, text: text }).then(function (r) {
      if (r.status === 409) return showConflict(r.data, text);
      if (!r.ok) { say(r.data.error || "Không lưu được."); return; }
      current.version = r.data.version;
      current.saved = text;
      localStorage.removeItem(draftKey(current.path));
      $("conflict").hidden = true;
      say(r.data.written ? "Đã lưu. Trang xem trước sẽ tự cập nhật." : "Không có thay đổi nào để lưu.");
    });
  }

  function showConflict(disk, mine) {
    say(disk.error);
    $("conflict-disk").value = disk.text;
    $("conflict-mine").value = mine;
    $("conflict").hidden = false;
    $("keep-mine").onclick = function () { save(disk.version); };
    $("take-disk").onclick = function () {
      current.version = disk.version;
      current.saved = disk.text;
      $("text").value = disk.text;
      localStorage.removeItem(draftKey(current.path));
      $("conflict").hidden = true;
      say("Đã lấy bản trên máy.");
    };
    $("conflict-disk").focus();
  }

  function create(event) {
    event.preventDefault();
    var title = $("new-title").value.normalize("NFC").trim();
    api("POST", "api/new", { section: $("new-section").value, title: title }).then(function (r) {
      if (!r.ok) { say(r.data.error || "Không tạo được bài."); return; }
      $("new-title").value = "";
      say("Đã tạo bài nháp " + r.data.path + ".");
      location.hash = "#/sua/" + encodeURIComponent(r.data.path);
    });
  }

  // ---- views ----
  function route() {
    var hash = location.hash, editing = hash.indexOf("#/sua/") === 0;
    $("list-view").hidden = editing;
    $("edit-view").hidden = !editing;
    if (!editing) { loadCatalog(); return; }
    (catalog ? Promise.resolve() : loadCatalog()).then(function () { openFile(decodeURIComponent(hash.slice(6))); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("q").addEventListener("input", relist);
    $("f-section").addEventListener("change", relist);
    $("f-status").addEventListener("change", relist);
    $("filters").addEventListener("submit", function (e) { e.preventDefault(); });
    $("more").addEventListener("click", function () { shown += PAGE_ROWS; renderList(); });
    $("new-form").addEventListener("submit", create);
    $("edit-form").addEventListener("submit", function (e) { e.preventDefault(); save(); });
    $("text").addEventListener("input", keepDraft);
    document.addEventListener("keydown", function (e) {
      if (e.isComposing || e.keyCode === 229) return;
      if ((e.ctrlKey || e.metaKey) && e.key === "s" && !$("edit-view").hidden) { e.preventDefault(); save(); }
    });
    window.addEventListener("hashchange", route);
    route();
  });
})();
