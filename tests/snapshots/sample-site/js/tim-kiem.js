// Tìm kiếm tiếng Việt, có dấu hay không dấu. The index is built by cds (src/search): keys are
// "e" + exact syllable, "f" + folded syllable, "p" + folded pair; keys live in shard files
// chosen by FNV-1a of the key, page details in chunks. Only what a query needs is fetched.
(function () {
  "use strict";
  var box = document.getElementById("ket-qua");
  if (!box || !window.fetch || !window.TextEncoder) return;
  var base = box.getAttribute("data-chi-muc");
  var status = document.getElementById("trang-thai");
  var list = document.getElementById("danh-sach");
  var input = document.getElementById("o-tim-kiem");
  document.documentElement.classList.add("co-js");
  var meta = null, shards = {}, chunks = {};

  function get(path) {
    return fetch(base + path).then(function (r) { if (!r.ok) throw r.status; return r.json(); });
  }
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase();
  }
  function tokens(s) {
    return (s.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || []);
  }
  function hash(key) {
    var b = new TextEncoder().encode(key), h = 0x811c9dc5;
    for (var i = 0; i < b.length; i++) { h ^= b[i]; h = Math.imul(h, 16777619) >>> 0; }
    return h;
  }
  function shard(n) {
    if (!shards[n]) shards[n] = get(n + ".json");
    return shards[n];
  }
  function lookup(keys) {
    var wanted = {};
    keys.forEach(function (k) { wanted[hash(k) % meta.shards] = 1; });
    return Promise.all(Object.keys(wanted).map(function (n) { return shard(n); })).then(function (parts) {
      var all = Object.assign.apply(null, [{}].concat(parts));
      var out = {};
      keys.forEach(function (k) { out[k] = all[k] || []; });
      return out;
    });
  }
  function details(ids) {
    var wanted = {};
    ids.forEach(function (id) { wanted[Math.floor(id / meta.chunk)] = 1; });
    return Promise.all(Object.keys(wanted).map(function (c) {
      if (!chunks[c]) chunks[c] = get("trang-" + c + ".json");
      return chunks[c].then(function (rows) { return [c, rows]; });
    })).then(function (parts) {
      var byChunk = {};
      parts.forEach(function (p) { byChunk[p[0]] = p[1]; });
      return ids.map(function (id) { return byChunk[Math.floor(id / meta.chunk)][id % meta.chunk]; });
    });
  }

  function search(q) {
    var words = tokens(q);
    var terms = words.map(function (w) { return { exact: w, folded: fold(w), stop: meta.stop.indexOf(w) >= 0 }; });
    var required = terms.filter(function (t) { return !t.stop; });
    if (!required.length) required = terms;
    var keys = [];
    terms.forEach(function (t, i) {
      keys.push("f" + t.folded);
      if (t.exact !== t.folded) keys.push("e" + t.exact);
      if (i + 1 < terms.length) keys.push("p" + t.folded + " " + terms[i + 1].folded);
    });
    var numbers = words.filter(function (w) { return /^[0-9]+$/.test(w); })
      .map(function (w) { return "n" + (w.replace(/^0+/, "") || "0"); });
    keys = keys.concat(numbers);
    return lookup(keys).then(function (found) {
      var score = {}, hits = {};
      function add(list, factor, term) {
        for (var i = 0; i < list.length; i += 2) {
          var d = list[i];
          score[d] = (score[d] || 0) + list[i + 1] * factor;
          if (term !== null) { hits[d] = hits[d] || {}; hits[d][term] = 1; }
        }
      }
      // A page must have every word whose list is complete; a list cut at meta.max (a very
      // common word) says nothing about the pages left out of it.
      var complete = [];
      required.forEach(function (t, n) {
        add(found["f" + t.folded], 1, n);
        if (found["f" + t.folded].length / 2 < meta.max) complete.push(n);
        if (t.exact !== t.folded) add(found["e" + t.exact], 2, null);
      });
      terms.forEach(function (t, i) {
        if (i + 1 < terms.length) add(found["p" + t.folded + " " + terms[i + 1].folded], 3, null);
      });
      numbers.forEach(function (k) { add(found[k], 10, null); });
      var docs = Object.keys(hits).map(Number).filter(function (d) {
        return complete.every(function (n) { return hits[d][n]; });
      });
      docs.sort(function (a, b) { return score[b] - score[a] || a - b; });
      return { docs: docs, more: complete.length < required.length, folded: terms.map(function (t) { return t.folded; }) };
    });
  }

  function highlight(el, text, folded) {
    text.split(/([\p{L}\p{N}]+)/u).forEach(function (part) {
      if (part && folded.indexOf(fold(part)) >= 0) {
        var m = document.createElement("mark");
        m.textContent = part;
        el.appendChild(m);
      } else {
        el.appendChild(document.createTextNode(part));
      }
    });
  }

  var PAGE = 10, more = null;

  function item(r, folded) {
    var li = document.createElement("li");
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = r[1];
    highlight(a, r[0], folded);
    h.appendChild(a);
    var info = document.createElement("p");
    info.className = "meta";
    info.textContent = [r[2], r[3]].filter(Boolean).join(" · ");
    var p = document.createElement("p");
    highlight(p, r[4], folded);
    li.appendChild(h);
    li.appendChild(info);
    li.appendChild(p);
    return li;
  }

  // Shows results from `from` on, PAGE at a time, fetching only their details.
  function show(result, from) {
    return details(result.docs.slice(from, from + PAGE)).then(function (rows) {
      var first = null;
      rows.forEach(function (r) {
        var li = item(r, result.folded);
        first = first || li;
        list.appendChild(li);
      });
      var left = result.docs.length - from - rows.length;
      if (!more) {
        more = document.createElement("button");
        more.type = "button";
        more.className = "xem-them";
        list.parentNode.appendChild(more);
      }
      more.hidden = left <= 0;
      more.textContent = "Xem thêm " + Math.min(left, PAGE) + " kết quả";
      more.onclick = function () {
        show(result, from + PAGE).then(function (li) { if (li) li.querySelector("a").focus(); });
      };
      return first;
    });
  }

  function run(q) {
    q = q.trim();
    if (more) more.hidden = true;
    if (!q) { status.textContent = "Nhập từ cần tìm, có dấu hay không dấu đều được."; return; }
    status.textContent = "Đang tìm…";
    (meta ? Promise.resolve(meta) : get("meta.json").then(function (m) { meta = m; return m; }))
      .then(function () { return search(q); })
      .then(function (result) {
        list.textContent = "";
        return show(result, 0).then(function () {
          var n = result.docs.length.toLocaleString("vi-VN");
          status.textContent = !result.docs.length
            ? "Không tìm thấy kết quả nào cho “" + q + "”. Hãy thử từ khác, hoặc gõ không dấu."
            : result.more
              ? "Tìm thấy rất nhiều trang có “" + q + "”; dưới đây là " + n + " trang phù hợp nhất."
              : "Tìm thấy " + n + " kết quả cho “" + q + "”.";
        });
      })
      .catch(function () { status.textContent = "Không tải được chỉ mục tìm kiếm. Vui lòng thử lại."; });
  }

  var q = new URLSearchParams(location.search).get("q") || "";
  input.value = q;
  run(q);
  document.getElementById("form-tim-kiem").addEventListener("submit", function (e) {
    e.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    run(input.value);
  });
})();
