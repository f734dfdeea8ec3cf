// The browser editor of `cds serve`: the list of pages and the edit view. No framework, no
// key handling during IME composition (Unikey, Telex, VNI and the Windows IME type into a
// plain <textarea> exactly as in Notepad). Every write sends the secret in X-CDS-Khoa.
"use strict";
(function () {
  var meta = function (name) { return document.querySelector('meta[name="' + name + '"]').content; };
  // The editor answers at the root of its own port; the site's preview is another origin.
  var token = meta("cds-token"), base = "/", siteOrigin = meta("cds-origin"), siteId = meta("cds-site-id");
  var $ = function (id) { return document.getElementById(id); };
  var PAGE_ROWS = 200;
  var STATUS = { draft: "Nháp", scheduled: "Hẹn giờ", published: "Đã đăng", expired: "Hết hạn" };
  var catalog = null, rowsShown = PAGE_ROWS, current = null;

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
      renderBroken(catalog.broken || []);
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
    found.slice(0, rowsShown).forEach(function (p) {
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
    $("more").hidden = found.length <= rowsShown;
  }

  // Files the last build stopped at: each opens in the text view, to be fixed.
  function renderBroken(broken) {
    var list = $("broken");
    list.textContent = "";
    broken.forEach(function (b) {
      var item = document.createElement("li"), link = document.createElement("a"), why = document.createElement("pre");
      link.href = "#/sua/" + encodeURIComponent(b.path);
      link.textContent = b.path;
      why.textContent = b.message;
      item.appendChild(link);
      item.appendChild(why);
      list.appendChild(item);
    });
    $("broken-box").hidden = !broken.length;
  }

  function relist() { rowsShown = PAGE_ROWS; renderList(); }

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

  // ---- edit ----
  // `current`: the file as opened: path, version, mode ("form" or "text"), its form and the
  // values and text last saved.
  // One key per site and file: two sites previewed on the same address keep their own drafts.
  function draftKey(path) { return "cds-ban-nhap:" + siteId + ":" + path; }

  function openFile(path) {
    current = null;
    ["conflict", "restore", "form-note"].forEach(function (id) { $(id).hidden = true; });
    $("edit-path").textContent = path;
    return api("GET", "api/file?path=" + encodeURIComponent(path)).then(function (r) {
      if (!r.ok) { say(r.data.error); return; }
      current = { path: path, version: r.data.version, text: r.data.text, form: r.data.form || null };
      var page = catalog && catalog.pages.find(function (p) { return p.path === path; });
      current.page = page || null;
      $("edit-title").textContent = page ? page.title : path;
      $("text").value = r.data.text;
      if (current.form) {
        current.values = r.data.values;
        current.body = r.data.body;
        buildForm(current.form, r.data.values);
        $("body").value = r.data.body;
      }
      $("form-note").hidden = !!current.form;
      $("tab-form").disabled = !current.form;
      showMode(current.form ? "form" : "text");
      fillLists();
      showPreview(page);
      if (!page) awaitPage(path, 40);
      showState();
      offerDraft();
    });
  }

  function showPreview(page) {
    var url = page ? siteOrigin + page.url : null;
    $("open-page").hidden = !url;
    if (url) { $("open-page").href = url; if ($("preview").getAttribute("src") !== url) $("preview").src = url; }
    showDraft(false);
  }

  // A page made a moment ago joins the list once the preview has built it.
  function awaitPage(path, tries) {
    setTimeout(function () {
      if (!current || current.path !== path) return;
      loadCatalog().then(function () {
        var page = catalog && catalog.pages.find(function (p) { return p.path === path; });
        if (page) { current.page = page; $("edit-title").textContent = page.title; showPreview(page); } else if (tries > 1) awaitPage(path, tries - 1);
      });
    }, 250);
  }

  function showMode(mode) {
    current.mode = mode;
    $("form-pane").hidden = mode !== "form";
    $("text-pane").hidden = mode !== "text";
    $("tab-form").setAttribute("aria-selected", String(mode === "form"));
    $("tab-text").setAttribute("aria-selected", String(mode === "text"));
    ["publish", "schedule", "unpublish"].forEach(function (id) { $(id).hidden = mode !== "form"; });
  }

  // Switching view saves nothing: the other view is filled from the file on disk after a save.
  function switchMode(mode) {
    if (!current || current.mode === mode || (mode === "form" && !current.form)) return;
    if (dirty() && !confirm("Bạn có thay đổi chưa lưu. Hãy lưu trước khi đổi cách sửa. Vẫn đổi (bỏ các thay đổi)?")) return;
    openFile(current.path).then(function () { if (current) showMode(mode); });
  }

  function fillLists() {
    if (!catalog) return;
    var fill = function (id, items) {
      var list = $(id);
      list.textContent = "";
      items.forEach(function (item) { var o = document.createElement("option"); o.value = item[0]; if (item[1]) o.label = item[1]; list.appendChild(o); });
    };
    fill("page-list", catalog.pages.map(function (p) { return [p.title, p.path]; }));
  }

  // ---- the form ----
  function fieldId(path) { return "f-" + path.join("-"); }

  function buildForm(spec, values) {
    var main = $("fields"), more = $("advanced");
    main.textContent = "";
    more.textContent = "";
    spec.forEach(function (field) {
      (field.advanced ? more : main).appendChild(control(field, [field.key], values[field.key]));
    });
    $("more-fields").hidden = !more.children.length;
  }

  function control(field, path, value) {
    var id = fieldId(path), wrap = document.createElement("div");
    if (field.input === "group") {
      var set = document.createElement("fieldset"), legend = document.createElement("legend");
      legend.textContent = field.label;
      set.appendChild(legend);
      field.fields.forEach(function (f) { set.appendChild(control(f, path.concat(f.key), (value || {})[f.key])); });
      return set;
    }
    wrap.className = "field " + field.input;
    var label = document.createElement("label"), input;
    label.htmlFor = id;
    label.textContent = field.label;
    switch (field.input) {
      case "long_text": input = document.createElement("textarea"); input.rows = 3; input.value = value || ""; break;
      case "check": input = document.createElement("input"); input.type = "checkbox"; input.checked = !!value; break;
      case "number": input = document.createElement("input"); input.type = "number"; input.step = "1"; input.value = value === null || value === undefined ? "" : value; break;
      case "choice":
        input = document.createElement("select");
        input.add(new Option("(chưa chọn)", ""));
        (catalog ? catalog.categories : []).forEach(function (c) { input.add(new Option(c, c)); });
        if (value && !Array.prototype.some.call(input.options, function (o) { return o.value === value; })) input.add(new Option(value, value));
        input.value = value || "";
        break;
      case "list":
        input = document.createElement("input");
        input.value = (value || []).join(", ");
        input.addEventListener("change", function () { input.value = sameTags(input.value, path); });
        break;
      case "date_time": case "date":
        input = document.createElement("input");
        var pattern = field.input === "date" ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
        // A date the file writes in a way the control cannot hold stays a text (the build says what is wrong).
        input.type = !value || pattern.test(value) ? (field.input === "date" ? "date" : "datetime-local") : "text";
        input.value = value || "";
        break;
      default: input = document.createElement("input"); input.value = value || "";
    }
    input.id = id;
    input.dataset.path = JSON.stringify(path);
    input.dataset.input = field.input;
    if (field.key === "title") input.required = true;
    if (field.input === "check") { wrap.appendChild(input); wrap.appendChild(label); }
    else { wrap.appendChild(label); wrap.appendChild(input); }
    if (field.help) {
      var help = document.createElement("p");
      help.className = "hint";
      help.id = id + "-help";
      help.textContent = field.help;
      input.setAttribute("aria-describedby", help.id);
      wrap.appendChild(help);
    }
    input.addEventListener("input", changed);
    input.addEventListener("change", changed);
    var choices = suggestions(path[path.length - 1]);
    if (choices) suggest(input, wrap, choices);
    return wrap;
  }

  // What a list field suggests: the tags in use; the documents of the registry by number or title.
  function suggestions(key) {
    if (!catalog) return null;
    if (key === "tags") return function () { return (catalog.tags || []).map(function (t) { return { value: t, text: t }; }); };
    if (key === "documents" || key === "implements") {
      return function () {
        return (catalog.documents || []).map(function (d) { return { value: d.number, text: d.number + " — " + d.title }; });
      };
    }
    return null;
  }

  // A combobox for the item being typed (after the last comma): up to 8 matches, accents
  // optional; arrows move, Enter or a click takes one, Escape closes. Never during composition.
  var suggestCount = 0;
  function suggest(input, wrap, choices) {
    var list = document.createElement("ul"), id = "goi-y-" + (++suggestCount), active = -1, shown = [];
    list.id = id;
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Gợi ý");
    list.hidden = true;
    wrap.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    var items = function () { return input.value.split(","); };
    function close() { list.hidden = true; active = -1; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); }
    function pick(choice) {
      var parts = items();
      parts[parts.length - 1] = (parts.length > 1 ? " " : "") + choice.value;
      input.value = parts.join(",") + ", ";
      close();
      input.focus();
      changed();
    }
    function mark(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, n) { li.setAttribute("aria-selected", String(n === i)); });
      if (i >= 0) input.setAttribute("aria-activedescendant", id + "-" + i); else input.removeAttribute("aria-activedescendant");
    }
    input.addEventListener("compositionend", function () { input.dispatchEvent(new Event("input")); });
    input.addEventListener("input", function (e) {
      if (e.isComposing) return;
      var typed = fold(items().pop().trim()), taken = items().map(function (t) { return fold(t.trim()); });
      list.textContent = "";
      if (!typed) { close(); return; }
      shown = choices().filter(function (c) { return fold(c.text).indexOf(typed) >= 0 && taken.indexOf(fold(c.value)) < 0; }).slice(0, 8);
      shown.forEach(function (c, n) {
        var li = document.createElement("li");
        li.id = id + "-" + n;
        li.setAttribute("role", "option");
        li.textContent = c.text;
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(c); });
        list.appendChild(li);
      });
      list.hidden = !shown.length;
      input.setAttribute("aria-expanded", String(!!shown.length));
      mark(-1);
    });
    input.addEventListener("keydown", function (e) {
      if (e.isComposing || e.keyCode === 229 || list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); mark((active + 1) % shown.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(active <= 0 ? shown.length - 1 : active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); pick(shown[active]); }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
    input.addEventListener("blur", close);
  }

  // A tag typed with other capitals or without accents becomes the one already in use.
  function sameTags(text, path) {
    if (path[path.length - 1] !== "tags" || !catalog) return text;
    var known = {};
    (catalog.tags || []).forEach(function (t) { known[fold(t)] = t; });
    var merged = [];
    var items = text.split(",").map(function (t) { return t.trim(); }).filter(Boolean).map(function (t) {
      var k = known[fold(t)];
      if (k && k !== t) merged.push(t + " → " + k);
      return k || t;
    });
    if (merged.length) say("Đã dùng chủ đề có sẵn: " + merged.join("; ") + ".");
    return items.join(", ");
  }

  function formValues() {
    var values = {};
    document.querySelectorAll("#form-pane [data-path]").forEach(function (input) {
      var path = JSON.parse(input.dataset.path), kind = input.dataset.input, v;
      if (kind === "check") v = input.checked;
      else if (kind === "list") v = input.value.split(",").map(function (t) { return t.normalize("NFC").trim(); }).filter(Boolean);
      else if (kind === "number") v = input.value === "" ? null : Number(input.value);
      else v = input.value.normalize("NFC");
      var at = values;
      for (var i = 0; i < path.length - 1; i++) at = at[path[i]] = at[path[i]] || {};
      at[path[path.length - 1]] = v;
    });
    return values;
  }

  function setValue(key, value) {
    var input = $(fieldId([key]));
    if (!input) return;
    if (input.type === "checkbox") input.checked = value; else input.value = value;
    changed();
  }

  function now() {
    var d = new Date(Date.now() + 7 * 3600 * 1000);
    return d.toISOString().slice(0, 16);
  }

  // What visitors see, from the form: draft, scheduled, expired or published.
  function pageState() {
    var v = formValues(), t = now();
    if (v.draft) return ["draft", "Bản nháp: người đọc chưa thấy bài này."];
    if (v.date && v.date > t) return ["scheduled", "Hẹn giờ: bài hiện với người đọc từ " + dayText(v.date) + "."];
    if (v.expiry_date && v.expiry_date <= t) return ["expired", "Hết hạn: bài không còn hiện với người đọc."];
    return ["published", "Đã đăng: người đọc thấy bài sau lần đăng chuyên mục tiếp theo."];
  }

  function dayText(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2}))?/.exec(iso);
    return m ? m[3] + "/" + m[2] + "/" + m[1] + (m[4] ? " " + m[4] : "") : iso;
  }

  function showState() {
    if (!current || current.mode !== "form") { $("page-state").textContent = ""; return; }
    var state = pageState();
    $("page-state").textContent = state[1];
    $("page-state").className = "state " + state[0];
    $("publish").hidden = state[0] === "published";
    $("unpublish").hidden = state[0] === "draft";
  }

  function publish() {
    var v = formValues(), title = v.title || "bài này";
    var later = v.date && v.date > now();
    var text = "Đăng “" + title + "”: người đọc sẽ thấy bài ngay sau lần đăng chuyên mục tiếp theo.";
    if (later) text += " Ngày đăng đang là " + dayText(v.date) + " (hẹn giờ); đăng ngay sẽ đổi ngày đăng thành bây giờ.";
    if (!confirm(text)) return;
    setValue("draft", false);
    if (later || !v.date) setValue("date", now());
    if (v.expiry_date && v.expiry_date <= now()) setValue("expiry_date", "");
    save();
  }

  function schedule() {
    var v = formValues();
    if (!v.date || v.date <= now()) {
      say("Chọn ngày giờ đăng trong tương lai ở ô “Ngày giờ đăng”, rồi bấm “Hẹn giờ đăng” lần nữa.");
      var input = $(fieldId(["date"]));
      if (input) input.focus();
      return;
    }
    if (!confirm("Hẹn giờ “" + (v.title || "bài này") + "”: người đọc thấy bài từ " + dayText(v.date) + " (giờ Việt Nam), sau lần đăng chuyên mục đầu tiên kể từ lúc đó.")) return;
    setValue("draft", false);
    save();
  }

  function unpublish() {
    var v = formValues();
    if (!confirm("Gỡ “" + (v.title || "bài này") + "” về nháp: bài không còn hiện với người đọc sau lần đăng chuyên mục tiếp theo. Tệp vẫn giữ nguyên nội dung.")) return;
    setValue("draft", true);
    save();
  }

  // ---- unsaved work ----
  function snapshot() {
    if (!current) return null;
    if (current.mode === "form") return { mode: "form", values: formValues(), body: $("body").value };
    return { mode: "text", text: $("text").value };
  }

  function dirty() {
    var shot = snapshot();
    if (!shot) return false;
    // What the server keeps is NFC (an IME may type decomposed letters) and trimmed.
    if (shot.mode === "text") return shot.text.normalize("NFC") !== current.text;
    return shot.body.normalize("NFC") !== current.body || !same(shot.values, current.values);
  }

  // Deep equality of two values as JSON holds them, whatever the order of keys; texts as the
  // server keeps them.
  function same(a, b) {
    if (a === b) return true;
    if (typeof a === "string" && typeof b === "string") return a.normalize("NFC").trim() === b.normalize("NFC").trim();
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    var ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every(function (k) { return same(a[k], b[k]); });
  }

  var keepTimer = 0;
  function changed() {
    showState();
    schedulePreview();
    clearTimeout(keepTimer);
    keepTimer = setTimeout(function () {
      if (!current) return;
      var shot = snapshot();
      if (!dirty()) localStorage.removeItem(draftKey(current.path));
      else { shot.version = current.version; shot.at = Date.now(); localStorage.setItem(draftKey(current.path), JSON.stringify(shot)); }
    }, 300);
  }

  function offerDraft() {
    var kept = null;
    try { kept = JSON.parse(localStorage.getItem(draftKey(current.path)) || "null"); } catch (e) { kept = null; }
    if (!kept || (kept.mode === "form" && !current.form) || (kept.mode === "text" && typeof kept.text !== "string")) return;
    $("restore-at").textContent = new Date(kept.at).toLocaleString("vi-VN");
    $("restore").hidden = false;
    $("restore-yes").onclick = function () {
      if (kept.mode === "form" && current.form) {
        buildForm(current.form, kept.values);
        $("body").value = kept.body;
        showMode("form");
      } else {
        $("text").value = kept.text;
        showMode("text");
      }
      $("restore").hidden = true;
      showState();
      if (kept.version && kept.version !== current.version) {
        // The file changed since: the save is checked against the version the draft came from,
        // so it shows both versions instead of writing over the newer one.
        current.version = kept.version;
        say("Tệp đã đổi từ lúc có bản chưa lưu này: khi bấm “Lưu”, trình soạn bài sẽ hiện cả hai bản để chọn.");
      } else {
        say("Đã khôi phục bản chưa lưu. Bấm “Lưu” để ghi vào tệp.");
      }
    };
    $("restore-no").onclick = function () { localStorage.removeItem(draftKey(current.path)); $("restore").hidden = true; };
  }

  // ---- live preview ----
  // The unsaved form or text goes through the real pipeline 400 ms after the last key; the
  // page replaces the preview's document (scroll kept), the build's problems go to their fields.
  var previewTimer = 0, previewing = 0;
  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(livePreview, 400);
  }

  function livePreview() {
    if (!current) return;
    var shot = snapshot(), request = { path: current.path }, mine = ++previewing;
    if (shot.mode === "form") { request.values = shot.values; request.body = shot.body; } else request.text = shot.text;
    api("POST", "api/preview", request).then(function (r) {
      if (mine !== previewing || !current || current.path !== request.path || !r.ok) return;
      showProblems(r.data.diagnostics || []);
      // Once saved, the site's own page shows it: only the problems are news.
      if (r.data.html && dirty()) writePreview(r.data.html);
      else if (!dirty()) showDraft(false);
    });
  }

  // The unsaved page, in a frame with no scripts: its links and photos point to the site's
  // preview. The saved page (the other frame) is the site's own, which reloads itself.
  function writePreview(html) {
    var frame = $("draft-preview"), y = 0;
    try { y = frame.contentWindow.scrollY; } catch (e) { y = 0; }
    frame.onload = function () { try { frame.contentWindow.scrollTo(0, y); } catch (e) { /* a new frame */ } };
    frame.srcdoc = html.replace(/<head([^>]*)>/i, '<head$1><base href="' + siteOrigin + '/">');
    showDraft(true);
  }

  function showDraft(draft) {
    $("draft-preview").hidden = !draft;
    $("preview").hidden = draft;
  }

  function showProblems(diags) {
    document.querySelectorAll(".problem").forEach(function (p) { p.remove(); });
    document.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
    var list = $("problems");
    list.textContent = "";
    diags.forEach(function (d) {
      var item = document.createElement("li");
      item.className = d.error ? "error" : "warning";
      item.textContent = (d.error ? "Lỗi: " : "Lưu ý: ") + d.message + (d.hint ? " — " + d.hint : "") +
        (d.body_line ? " (nội dung bài, dòng " + d.body_line + ")" : "") + (!d.here ? " (" + d.text.split("\n")[0] + ")" : "");
      list.appendChild(item);
      var input = d.field && $(fieldId(d.field.split(".")));
      if (input) {
        var note = document.createElement("p");
        note.className = "problem " + item.className;
        note.id = input.id + "-problem";
        note.textContent = d.message + (d.hint ? " — " + d.hint : "");
        input.parentNode.appendChild(note);
        input.setAttribute("aria-invalid", String(!!d.error));
        input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "").replace(note.id, "") + " " + note.id).trim());
      }
    });
    $("problems-box").hidden = !diags.length;
  }

  // ---- saving ----
  function save(version) {
    if (!current) return;
    var shot = snapshot(), request = { path: current.path, version: version || current.version };
    if (shot.mode === "form") {
      var title = $(fieldId(["title"]));
      if (title && !title.value.trim()) { say("Bài cần có tiêu đề."); title.focus(); return; }
      request.values = shot.values;
      request.body = shot.body.normalize("NFC");
      // Only what was changed since opening is written: a field changed on disk meanwhile
      // (in Notepad, by a colleague) keeps its new value, also after "keep my changes".
      request.base = { values: current.values, body: current.body };
    } else {
      request.text = shot.text.normalize("NFC");
    }
    say("Đang lưu…");
    var path = current.path;
    api("POST", "api/save", request).then(function (r) {
      if (!current || current.path !== path) { say(r.ok ? "Đã lưu " + path + "." : "Chưa lưu được " + path + ": " + (r.data.error || "")); return; }
      if (r.status === 409) return showConflict(r.data, shot);
      if (!r.ok) { say(r.data.error || "Không lưu được."); return; }
      current.version = r.data.version;
      if (shot.mode === "form") {
        current.values = r.data.values || shot.values;
        current.body = typeof r.data.body === "string" ? r.data.body : request.body;
        // Over a version changed on disk, the fields kept from it are shown.
        if (version) { buildForm(current.form, current.values); $("body").value = current.body; }
      } else current.text = request.text;
      localStorage.removeItem(draftKey(current.path));
      $("conflict").hidden = true;
      showState();
      say(r.data.written ? "Đã lưu. Trang xem trước tự cập nhật." : "Không có thay đổi nào để lưu.");
      livePreview();
    });
  }

  function showConflict(disk, mine) {
    say(disk.error);
    $("conflict-disk").value = disk.text;
    $("conflict-mine").value = mine.mode === "form" ? mine.body : mine.text;
    $("conflict").hidden = false;
    $("keep-mine").onclick = function () { save(disk.version); };
    $("take-disk").onclick = function () {
      localStorage.removeItem(draftKey(current.path));
      openFile(current.path).then(function () { say("Đã lấy bản trên máy."); });
    };
    $("conflict-disk").focus();
  }

  // ---- the body's toolbar ----
  function insert(area, text, selectFrom, selectTo) {
    area.focus();
    var start = area.selectionStart;
    // execCommand keeps the browser's undo (Ctrl+Z) working; setRangeText is the fallback.
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      area.setRangeText(text, area.selectionStart, area.selectionEnd, "end");
    }
    if (selectFrom !== undefined) area.setSelectionRange(start + selectFrom, start + selectTo);
    changed();
  }

  function selected(area) { return area.value.slice(area.selectionStart, area.selectionEnd); }

  function lineStart(area) {
    var at = area.value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    area.setSelectionRange(at, area.selectionEnd);
  }

  var TOOLS = {
    heading: function (a) { lineStart(a); var s = selected(a).replace(/^#+\s*/, ""); insert(a, "## " + (s || "Tiêu đề mục"), 3, 3 + (s || "Tiêu đề mục").length); },
    bold: function (a) { var s = selected(a) || "chữ đậm"; insert(a, "**" + s + "**", 2, 2 + s.length); },
    list: function (a) {
      lineStart(a);
      var s = selected(a) || "Ý thứ nhất";
      insert(a, s.split("\n").map(function (l) { return "- " + l.replace(/^[-*]\s+/, ""); }).join("\n"));
    },
    link: function (a) {
      var url = prompt("Địa chỉ liên kết (https://…):", "https://");
      if (!url || url === "https://") return;
      var s = selected(a) || "chữ hiện ra";
      insert(a, "[" + s + "](" + url.trim() + ")", 1, 1 + s.length);
    },
    internal: function (a) {
      var dialog = $("link-dialog");
      $("link-to").value = "";
      dialog.onclose = function () {
        if (dialog.returnValue !== "ok") { a.focus(); return; }
        var chosen = $("link-to").value, page = catalog.pages.find(function (p) { return p.title === chosen || p.path === chosen; });
        if (!page) { say("Không có bài nào tên “" + chosen + "”."); a.focus(); return; }
        var s = selected(a) || page.title;
        insert(a, "[" + s + "](@/" + page.path.replace(/^content\//, "") + ")");
      };
      dialog.showModal();
    },
    image: function () { $("pick-file").click(); },
    table: function (a) { insert(a, "\n| Cột 1 | Cột 2 |\n|---|---|\n| … | … |\n"); },
  };

  // ---- photos and attachments ----
  var MAX_UPLOAD = 25 * 1024 * 1024;
  var queue = Promise.resolve();

  // Files are taken one after another: each photo's description is asked, then it is sent.
  function addFiles(files) {
    Array.prototype.forEach.call(files, function (file) { queue = queue.then(function () { return addFile(file); }); });
  }

  function addFile(file) {
    if (!current) return null;
    if (file.size > MAX_UPLOAD) { say("Tệp “" + file.name + "” quá lớn: tối đa 25 MB."); return null; }
    var photo = /^image\//.test(file.type) || /\.(jpe?g|png|webp|gif|heic)$/i.test(file.name);
    return (photo ? describe(file) : Promise.resolve(file.name.replace(/\.[^.]+$/, ""))).then(function (label) {
      if (label === null) return null;
      say("Đang tải lên “" + file.name + "”…");
      var path = current.path;
      var url = base + "api/upload?path=" + encodeURIComponent(path) + "&name=" + encodeURIComponent(file.name);
      return fetch(url, { method: "POST", body: file, credentials: "same-origin", headers: { "X-CDS-Khoa": token, "Content-Type": file.type || "application/octet-stream" } })
        .then(function (r) { return r.json().catch(function () { return {}; }).then(function (d) { return { ok: r.ok, data: d }; }); })
        .then(function (r) {
          if (!r.ok) { say(r.data.error || "Không tải lên được."); return; }
          if (!current || current.path !== path) { say("Đã tải “" + file.name + "” vào bài " + r.data.path + "; bài đó chưa có liên kết tới tệp."); return; }
          if (r.data.path !== current.path) moved(r.data.path);
          var text = r.data.use === "photo" ? "![" + label + "](" + r.data.name + ")" : "[" + label + "](" + r.data.name + ")";
          insert($("body"), "\n" + text + "\n");
          say((r.data.use === "photo" ? "Đã thêm ảnh " : "Đã thêm tệp ") + r.data.name + ". Bấm “Lưu” để ghi bài.");
        });
    });
  }

  // Asks for the photo's description (required) beside a small view of it.
  function describe(file) {
    return new Promise(function (resolve) {
      var dialog = $("photo-dialog"), thumb = $("photo-thumb"), url = URL.createObjectURL(file);
      thumb.src = url;
      $("photo-alt").value = "";
      dialog.onclose = function () {
        URL.revokeObjectURL(url);
        var alt = $("photo-alt").value.normalize("NFC").trim();
        resolve(dialog.returnValue === "ok" && alt ? alt : null);
        $("body").focus();
      };
      dialog.showModal();
    });
  }

  // The page became a bundle (its first photo): the same address, another file.
  function moved(path) {
    var kept = localStorage.getItem(draftKey(current.path));
    if (kept) { localStorage.removeItem(draftKey(current.path)); localStorage.setItem(draftKey(path), kept); }
    current.path = path;
    $("edit-path").textContent = path;
    history.replaceState(null, "", "#/sua/" + encodeURIComponent(path));
    loadCatalog();
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
    $("more").addEventListener("click", function () { rowsShown += PAGE_ROWS; renderList(); });
    $("new-form").addEventListener("submit", create);
    ["form-pane", "text-pane"].forEach(function (id) { $(id).addEventListener("submit", function (e) { e.preventDefault(); save(); }); });
    $("save").addEventListener("click", function () { save(); });
    $("publish").addEventListener("click", publish);
    $("schedule").addEventListener("click", schedule);
    $("unpublish").addEventListener("click", unpublish);
    $("tab-form").addEventListener("click", function () { switchMode("form"); });
    $("tab-text").addEventListener("click", function () { switchMode("text"); });
    $("text").addEventListener("input", changed);
    $("body").addEventListener("input", changed);
    document.querySelectorAll("[data-tool]").forEach(function (b) {
      b.addEventListener("click", function () { TOOLS[b.dataset.tool]($("body")); });
    });
    document.addEventListener("keydown", function (e) {
      // Never during IME composition: Unikey, Telex, VNI and the Windows IME own those keys.
      if (e.isComposing || e.keyCode === 229 || !(e.ctrlKey || e.metaKey) || $("edit-view").hidden) return;
      var key = e.key.toLowerCase();
      if (key === "s") { e.preventDefault(); save(); }
      else if (e.target === $("body") && (key === "b" || key === "k")) { e.preventDefault(); TOOLS[key === "b" ? "bold" : "link"]($("body")); }
    });
    $("pick-file").addEventListener("change", function () { addFiles(this.files); this.value = ""; });
    $("body").addEventListener("dragover", function (e) { if (e.dataTransfer.types.indexOf("Files") >= 0) e.preventDefault(); });
    $("body").addEventListener("drop", function (e) {
      if (!e.dataTransfer.files.length) return;
      e.preventDefault();
      addFiles(e.dataTransfer.files);
    });
    $("body").addEventListener("paste", function (e) {
      var files = e.clipboardData && e.clipboardData.files;
      if (files && files.length) { e.preventDefault(); addFiles(files); }
    });
    window.addEventListener("beforeunload", function (e) { if (dirty()) { e.preventDefault(); e.returnValue = ""; } });
    window.addEventListener("hashchange", route);
    route();
  });
})();
