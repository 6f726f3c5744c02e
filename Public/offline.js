// Report entry that survives a dead link. A report being typed is kept on this phone (IndexedDB)
// until the server has it; a report sent with no connection waits in the same store and goes
// out when the connection returns (the online event, the next page load, or a retry every
// 20 s). Values are checked here first from the form's own definition (the page's data-def,
// with the server's own sentences). A report changed on the server meanwhile is never
// overwritten: both copies are shown and the user chooses. Each copy belongs to the account
// that typed it; signing out removes them (after asking, when some were not sent).
(function () {
  "use strict";
  var en = document.documentElement.lang === "en";
  var T = en ? {
    draft: "Draft kept on this phone (saved at {t}). It is not sent yet.",
    queued: "On this phone, waiting for a connection: it will be sent by itself.",
    sending: "Sending…",
    refused: "The server refused the report; it is back on the form:",
    login: "Your session has ended: sign in again and the report will be sent.",
    conflict: "While you were offline this report was changed on the server ({s}). The two copies differ in the fields marked below: choose one.",
    conflictLocked: "While you were offline this report was approved on the server, so it is locked. Your copy is shown beside each field; ask the commune to unlock it, or drop your copy.",
    onServer: "On the server: ", onPhone: "On this phone: ",
    keepMine: "Keep my copy and send it", keepServer: "Use the server's copy",
    problems: "Problems to fix:", badge: { draft: "Draft on this phone", queued: "Waiting to send", sending: "Sending", refused: "Refused", conflict: "Choose a copy" },
    signOut: "{n} report(s) on this phone were not sent. Signing out deletes them. Sign out anyway?"
  } : {
    draft: "Bản nháp lưu trên máy này (lúc {t}), chưa gửi.",
    queued: "Đang nằm trên máy này, chờ có mạng: báo cáo sẽ tự gửi.",
    sending: "Đang gửi…",
    refused: "Máy chủ không nhận báo cáo; báo cáo vẫn trên biểu mẫu:",
    login: "Phiên đăng nhập đã hết: hãy đăng nhập lại, báo cáo sẽ được gửi.",
    conflict: "Trong lúc bạn không có mạng, báo cáo đã được sửa trên máy chủ ({s}). Hai bản khác nhau ở các ô được đánh dấu: hãy chọn một bản.",
    conflictLocked: "Trong lúc bạn không có mạng, báo cáo đã được duyệt trên máy chủ nên bị khóa. Bản của bạn ghi bên cạnh từng ô; hãy đề nghị xã mở khóa, hoặc bỏ bản trên máy.",
    onServer: "Trên máy chủ: ", onPhone: "Trên máy này: ",
    keepMine: "Giữ bản của tôi và gửi", keepServer: "Dùng bản trên máy chủ",
    problems: "Cần sửa:", badge: { draft: "Nháp trên máy này", queued: "Chờ gửi", sending: "Đang gửi", refused: "Bị từ chối", conflict: "Cần chọn bản" },
    signOut: "Còn {n} báo cáo trên máy này chưa gửi. Đăng xuất sẽ xoá chúng. Vẫn đăng xuất?"
  };
  var user = document.body.getAttribute("data-user") || "";
  var script = document.currentScript;
  var version = script ? new URL(script.src).searchParams.get("v") || "" : "";

  if ("serviceWorker" in navigator && user) navigator.serviceWorker.register("/sw.js?v=" + version).catch(function () {});

  // The store: one record per report (form|unit|period) and account.
  function open() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) return reject(new Error("no IndexedDB"));
      var request = indexedDB.open("hamlet", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore("reports", { keyPath: "id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction("reports", mode), result;
        var store = t.objectStore("reports");
        Promise.resolve(work(store, function (r) { result = r; })).catch(reject);
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function get(key) { return tx("readonly", function (s, done) { s.get(user + "|" + key).onsuccess = function (e) { done(e.target.result); }; }); }
  function put(record) { record.id = user + "|" + record.key; record.user = user; return tx("readwrite", function (s) { s.put(record); }); }
  function drop(key) { return tx("readwrite", function (s) { s.delete(user + "|" + key); }); }
  function all() {
    return tx("readonly", function (s, done) {
      s.getAll().onsuccess = function (e) { done(e.target.result.filter(function (r) { return r.user === user; })); };
    }).catch(function () { return []; });
  }

  // Values as the server reads them (ValueType.parse, typed): Vietnamese notation, "1.234" and
  // "12,5"; yes/no in words with or without accents.
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase(); }
  function number(raw) {
    var s = raw.replace(/[ \u00a0]/g, "");
    if (s.indexOf(",") >= 0) s = s.replace(/\./g, "").replace(/,/g, ".");
    else if ((s.match(/\./g) || []).length > 1 || /^-?\d{1,3}\.\d{3}$/.test(s)) s = s.replace(/\./g, "");
    return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(s) ? parseFloat(s) : null;
  }
  function read(field, raw, def) {
    var text = raw.trim(), n;
    if (!text) return { empty: true };
    switch (field.type) {
      case "TEXT": return Array.from(text).length <= 2000 ? { value: text } : { error: "tooLong" };
      case "BOOLEAN":
        var f = fold(text);
        if (["true", "1", "co", "yes", "x"].indexOf(f) >= 0) return { number: 1 };
        if (["false", "0", "khong", "no"].indexOf(f) >= 0) return { number: 0 };
        return { error: "notYesNo" };
      case "INTEGER": case "INTEGER_ZERO_OR_POSITIVE": case "INTEGER_POSITIVE":
        n = number(text);
        if (n === null || n !== Math.round(n) || Math.abs(n) >= 1e15) return { error: "notInteger" };
        if (field.type === "INTEGER_ZERO_OR_POSITIVE" && n < 0) return { error: "negative" };
        if (field.type === "INTEGER_POSITIVE" && n < 1) return { error: "notPositive" };
        break;
      default:
        n = number(text);
        if (n === null || !isFinite(n)) return { error: "notNumber" };
        if (field.type === "PERCENTAGE" && (n < 0 || n > 100)) return { error: "notPercent" };
    }
    if (field.min !== undefined && field.min !== null && n < field.min) return { message: def.below[field.name] };
    if (field.max !== undefined && field.max !== null && n > field.max) return { message: def.above[field.name] };
    return { number: n };
  }
  var ops = { "<=": function (a, b) { return a <= b + 1e-9; }, "<": function (a, b) { return a < b; }, ">=": function (a, b) { return a + 1e-9 >= b; },
    ">": function (a, b) { return a > b; }, "==": function (a, b) { return Math.abs(a - b) < 1e-9; }, "!=": function (a, b) { return Math.abs(a - b) >= 1e-9; } };
  // Every problem at once, as ReportService.save lists them: each unreadable value, then the
  // rules (range rules always, the others when the report is sent).
  function check(def, values, submit) {
    var problems = [], totals = {}, missing = {}, unread = {};
    def.fields.forEach(function (field) {
      var r = read(field, values[field.name] || "", def);
      if (r.error || r.message) {
        problems.push({ field: field.name, message: field.label + ": " + (r.message || def.messages[r.error]) });
        unread[field.element] = true;
      } else if (r.empty) missing[field.element] = true;
      else if (r.number !== undefined) totals[field.element] = (totals[field.element] || 0) + r.number;
    });
    def.rules.forEach(function (rule) {
      if (unread[rule.left] || (!submit && rule.kind !== "range")) return;
      var a = totals[rule.left], broken = false;
      if (rule.kind === "required") broken = !!missing[rule.left];
      else if (rule.kind === "range") broken = a !== undefined && ((rule.min != null && a < rule.min) || (rule.max != null && a > rule.max));
      else if (a !== undefined && rule.right && totals[rule.right] !== undefined) broken = !ops[rule.op || "<="](a, totals[rule.right]);
      if (broken) problems.push({ field: rule.left, message: rule.message });
    });
    return problems;
  }

  function token() { var i = document.querySelector("input[name=_csrf]"); return i ? i.value : ""; }
  function uuid() { return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2); }

  // Sends one queued report. Its state afterwards: gone (the server has it), still queued (no
  // connection, or the session ended), refused (with the server's problems) or conflict.
  function send(record) {
    var parts = record.key.split("|"), body = new URLSearchParams();
    body.set("_csrf", token()); body.set("set", parts[0]); body.set("unit", parts[1]); body.set("period", parts[2]);
    body.set("version", String(record.base)); body.set("clientId", record.clientId); body.set("action", record.action);
    Object.keys(record.values).forEach(function (name) { body.set("v:" + name, record.values[name]); });
    return fetch("/reports/entry", { method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (response.ok) return drop(record.key).then(function () { return { sent: true, answer: answer }; });
          if (response.status === 401 || response.status === 403) { record.state = "queued"; record.message = T.login; }
          else if (response.status === 409 && answer.current) { record.state = "conflict"; record.server = answer.current; record.message = ""; }
          else if (response.status >= 500) { record.state = "queued"; record.message = ""; }
          else {
            var error = answer.error || {};
            record.state = "refused";
            record.message = error.message || String(response.status);
            record.problems = error.problems || (error.field ? [{ field: error.field, message: error.message }] : []);
          }
          return put(record).then(function () { return { record: record }; });
        });
      }, function () {
        record.state = "queued"; record.message = "";
        return put(record).then(function () { return { record: record }; });
      });
  }
  var flushing = false;
  function flush() {
    if (flushing || !user || navigator.onLine === false) return Promise.resolve();
    flushing = true;
    return all().then(function (records) {
      var queued = records.filter(function (r) { return r.state === "queued" || r.state === "sending"; });
      return queued.reduce(function (p, r) { return p.then(function () { return send(r).then(function (out) { document.dispatchEvent(new CustomEvent("hamlet:sent", { detail: { key: r.key, out: out } })); }); }); }, Promise.resolve());
    }).catch(function () {}).then(function () { flushing = false; });
  }
  window.addEventListener("online", flush);
  setInterval(function () { all().then(function (rs) { if (rs.some(function (r) { return r.state === "queued"; })) flush(); }); }, 20000);

  // The entry page.
  var form = document.getElementById("report");
  var def = form && form.getAttribute("data-def") ? JSON.parse(form.getAttribute("data-def")) : null;
  var stateBox = document.getElementById("offline-state");
  function inputs() { return Array.prototype.filter.call(form.elements, function (e) { return e.name && e.name.indexOf("v:") === 0; }); }
  function values() { var v = {}; inputs().forEach(function (e) { v[e.name.slice(2)] = e.value; }); return v; }
  function fill(v) { inputs().forEach(function (e) { var k = e.name.slice(2); if (k in v) e.value = v[k]; }); }
  function say(text, kind) { stateBox.hidden = !text; stateBox.textContent = text || ""; stateBox.className = kind || "notice"; }
  // What just happened is said at the top; on a phone the buttons pressed are screens below it.
  function bring() { if (stateBox.scrollIntoView) stateBox.scrollIntoView({ block: "start" }); }
  function buttons(shown) { var b = form.querySelector("button[type=submit]"); if (b) b.parentNode.hidden = !shown; }
  function clearMarks() {
    Array.prototype.forEach.call(form.querySelectorAll("span.error, small.copy"), function (e) { e.remove(); });
    inputs().forEach(function (e) { e.removeAttribute("aria-invalid"); e.removeAttribute("aria-describedby"); });
    var old = document.getElementById("err"); if (old) old.remove();
  }
  function cellOf(field) {
    if (form.elements["v:" + field]) return field;
    var first = def.fields.filter(function (f) { return f.element === field; })[0];
    return first ? first.name : null;
  }
  function mark(problems) {
    clearMarks();
    if (!problems.length) return;
    var box = document.createElement("div");
    box.className = "error"; box.id = "err"; box.setAttribute("role", "alert");
    var p = document.createElement("p"); p.textContent = T.problems + " " + problems.length; box.appendChild(p);
    var list = document.createElement("ul"); list.id = "problems"; box.appendChild(list);
    var first = null;
    problems.forEach(function (problem) {
      var cell = cellOf(problem.field), li = document.createElement("li");
      if (cell) {
        var a = document.createElement("a"); a.href = "#f-" + cell; a.textContent = problem.message; li.appendChild(a);
        var input = form.elements["v:" + cell], span = document.getElementById("e-" + cell);
        if (!span) { span = document.createElement("span"); span.className = "error"; span.id = "e-" + cell; input.insertAdjacentElement("afterend", span); span.textContent = problem.message; }
        else span.textContent += " " + problem.message;
        input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", "e-" + cell);
        first = first || input;
      } else li.textContent = problem.message;
      list.appendChild(li);
    });
    form.parentNode.insertBefore(box, stateBox);
    if (first) { first.scrollIntoView({ block: "center" }); first.focus({ preventScroll: true }); }
  }
  // Both copies: the form keeps the phone's values; beside each differing field, the server's.
  function showConflict(record) {
    var server = record.server || { fields: def.server, version: def.version, status: def.status, statusLabel: "" };
    var locked = server.status === "approved";
    clearMarks();
    fill(record.values);
    say((locked ? T.conflictLocked : T.conflict).replace("{s}", server.statusLabel || server.status), "warning");
    def.fields.forEach(function (f) {
      var mine = record.values[f.name] || "", theirs = server.fields[f.name] || "";
      if (mine.trim() === theirs.trim()) return;
      var note = document.createElement("small"); note.className = "copy conflict";
      note.textContent = T.onServer + (theirs || "—");
      form.elements["v:" + f.name].insertAdjacentElement("afterend", note);
    });
    buttons(false);
    var bar = document.createElement("p"); bar.id = "choose"; bar.className = "choose";
    if (!locked) {
      var mineButton = document.createElement("button"); mineButton.type = "button"; mineButton.id = "keep-mine"; mineButton.textContent = T.keepMine;
      mineButton.onclick = function () {
        record.base = server.version; record.values = values(); record.clientId = uuid(); record.state = "queued";
        bar.remove(); buttons(true); clearMarks(); go(record);
      };
      bar.appendChild(mineButton); bar.appendChild(document.createTextNode(" "));
    }
    var serverButton = document.createElement("button"); serverButton.type = "button"; serverButton.id = "keep-server"; serverButton.className = "secondary"; serverButton.textContent = T.keepServer;
    serverButton.onclick = function () { drop(def.key).then(function () { location.replace(location.pathname + location.search); }); };
    bar.appendChild(serverButton);
    stateBox.insertAdjacentElement("afterend", bar);
    bring();
  }
  function show(record) {
    if (!record) return say("");
    if (record.state === "conflict") return showConflict(record);
    fill(record.values);
    if (record.state === "draft") say(T.draft.replace("{t}", new Date(record.at).toLocaleTimeString(en ? "en-GB" : "vi-VN", { hour: "2-digit", minute: "2-digit" })));
    else if (record.state === "queued") { say(record.message || T.queued, "warning"); bring(); }
    else if (record.state === "sending") say(T.sending);
    else if (record.state === "refused") { say(T.refused + " " + record.message, "error"); bring(); mark(record.problems || []); }
  }
  function go(record) {
    show(record);
    return put(record).then(function () {
      if (navigator.onLine === false) return;
      say(T.sending);
      return send(record).then(function (out) {
        if (out.sent) location.replace(location.pathname + location.search.replace(/&notice=[^&]*/, "") + "&notice=" + (record.action === "submit" ? "report_submitted" : "report_saved"));
        else show(out.record);
      });
    });
  }
  if (def && def.editable && stateBox) {
    var current = null;
    get(def.key).then(function (record) {
      current = record || null;
      if (!record) return;
      // A draft typed over an older copy than the server's is a conflict, unless it matches.
      if (record.state === "draft" && record.base !== def.version) {
        var same = def.fields.every(function (f) { return (record.values[f.name] || "").trim() === (def.server[f.name] || "").trim(); });
        if (same) { current = null; return drop(def.key); }
        record.state = "conflict"; record.server = null;
      }
      show(record);
    }).catch(function () {});
    form.addEventListener("input", function () {
      // Typing over a queued or refused copy makes it a draft again: it is sent when sent anew.
      var record = current || { key: def.key, base: def.version };
      record.values = values(); record.at = new Date().toISOString();
      if (record.state !== "conflict") { record.state = "draft"; say(T.draft.replace("{t}", new Date().toLocaleTimeString(en ? "en-GB" : "vi-VN", { hour: "2-digit", minute: "2-digit" }))); }
      current = record;
      put(record).catch(function () {});
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var action = event.submitter && event.submitter.value === "submit" ? "submit" : "save";
      var v = values(), problems = check(def, v, action === "submit");
      mark(problems);
      if (problems.length) return;
      var record = current || { key: def.key, base: def.version };
      if (record.state === "conflict") return;
      record.values = v; record.action = action; record.clientId = uuid(); record.state = "queued"; record.at = new Date().toISOString(); record.message = "";
      current = record;
      go(record);
    });
    document.addEventListener("hamlet:sent", function (event) {
      if (event.detail.key !== def.key) return;
      var out = event.detail.out;
      if (out.sent) location.replace(location.pathname + location.search.replace(/&notice=[^&]*/, "") + "&notice=" + (out.answer.status === "submitted" ? "report_submitted" : "report_saved"));
      else { current = out.record; clearMarks(); var c = document.getElementById("choose"); if (c) c.remove(); show(current); }
    });
  }

  // The start page: each report's copy on this phone is shown beside it, and the report forms
  // are handed to the service worker so they open with no connection.
  var work = document.getElementById("work");
  if (work && user) {
    var links = Array.prototype.filter.call(work.querySelectorAll("a[href^='/reports/entry']"), function () { return true; });
    all().then(function (records) {
      links.forEach(function (a) {
        var q = new URL(a.href).searchParams, key = [q.get("set"), q.get("unit"), q.get("period")].join("|");
        var record = records.filter(function (r) { return r.key === key; })[0];
        if (!record) return;
        var badge = document.createElement("span");
        badge.className = "status status-local status-" + record.state; badge.textContent = T.badge[record.state] || record.state;
        a.parentNode.insertBefore(badge, a.nextSibling); a.parentNode.insertBefore(document.createTextNode(" "), badge);
      });
    });
    if (navigator.serviceWorker && navigator.onLine !== false) {
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.active) reg.active.postMessage({ keep: links.slice(0, 12).map(function (a) { return a.getAttribute("href"); }) });
      });
    }
  }

  // Signing out removes this account's copies and the kept pages, after asking if some are unsent.
  var logout = document.querySelector("form[action='/logout']");
  if (logout) logout.addEventListener("submit", function (event) {
    if (logout.dataset.cleared) return;
    event.preventDefault();
    all().then(function (records) {
      if (records.length && !window.confirm(T.signOut.replace("{n}", records.length))) return false;
      return Promise.all(records.map(function (r) { return drop(r.key); })).then(function () {
        if (window.caches) return caches.delete("hamlet-pages");
      });
    }).catch(function () {}).then(function (cancelled) {
      if (cancelled === false) return;
      logout.dataset.cleared = "1";
      logout.requestSubmit ? logout.requestSubmit() : logout.submit();
    });
  });
  // The sign-in page: pages kept for the last account go (its copies stay, under its name).
  if (document.querySelector("form[action^='/login']") && window.caches) caches.delete("hamlet-pages");

  flush();
})();
