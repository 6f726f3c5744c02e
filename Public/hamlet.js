// Loads a unit's children the first time its row is opened; without script the name links to the unit page.
document.addEventListener("toggle", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("details[data-children]") || !box.open || box.dataset.loaded) return;
  box.dataset.loaded = "1";
  fetch(box.dataset.children, { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
    .then(function (html) { box.querySelector("ul").innerHTML = html; })
    .catch(function () { box.dataset.loaded = ""; });
}, true);
// On the wide layout the menu is always open.
if (window.matchMedia("(min-width: 800px)").matches) {
  var menu = document.querySelector("details.menu");
  if (menu) menu.open = true;
}
// Tables marked "sortable": a header click sorts by that column (numbers read the Vietnamese way,
// 1.234,5), again to reverse. Without script the server's order stands.
document.addEventListener("click", function (event) {
  var th = event.target.closest && event.target.closest("table.sortable th");
  if (!th) return;
  var table = th.closest("table"), body = table.tBodies[0], index = Array.prototype.indexOf.call(th.parentNode.children, th);
  var down = th.getAttribute("aria-sort") !== "descending";
  Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute("aria-sort"); });
  th.setAttribute("aria-sort", down ? "descending" : "ascending");
  function key(row) {
    var text = row.children[index] ? row.children[index].textContent.trim() : "";
    var n = parseFloat(text.replace(/\./g, "").replace(",", ".").replace(/[^0-9.\-]/g, ""));
    return isNaN(n) ? text.toLowerCase() : n;
  }
  var rows = Array.prototype.slice.call(body.rows);
  rows.sort(function (a, b) { var x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (down ? -1 : 1); });
  rows.forEach(function (r) { body.appendChild(r); });
});
// Forms marked data-confirm (removals) ask once before they post.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
// After a refused form, the first field marked wrong is brought into view and focused: on a phone
// the message next to it would otherwise be screens below the top.
document.addEventListener("DOMContentLoaded", function () {
  var first = document.querySelector("main [aria-invalid=true], [aria-invalid=true]");
  if (!first || !first.focus) return;
  if (first.scrollIntoView) first.scrollIntoView({ block: "center" });
  first.focus({ preventScroll: true });
});
// A form being sent says so and cannot be sent twice: on a slow link a second tap would post again.
// The pressed button's name and value still go with the form (a disabled button sends nothing).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented || !form.matches || !form.matches("form[method=post]")) return;
  if (form.dataset.busy) { event.preventDefault(); return; }
  form.dataset.busy = "1";
  var pressed = event.submitter;
  if (pressed && pressed.name) {
    var carry = document.createElement("input");
    carry.type = "hidden"; carry.name = pressed.name; carry.value = pressed.value;
    form.appendChild(carry);
  }
  Array.prototype.forEach.call(form.querySelectorAll("button[type=submit], button:not([type])"), function (b) {
    b.disabled = true;
    b.setAttribute("aria-busy", "true");
  });
  if (pressed) {
    pressed.dataset.label = pressed.textContent;
    pressed.textContent = document.documentElement.lang === "en" ? "Sending…" : "Đang gửi…";
  }
});
// Back to a page kept by the browser: its forms can be sent again.
window.addEventListener("pageshow", function () {
  Array.prototype.forEach.call(document.querySelectorAll("form[data-busy]"), function (form) {
    delete form.dataset.busy;
    Array.prototype.forEach.call(form.querySelectorAll("button[aria-busy]"), function (b) {
      b.disabled = false; b.removeAttribute("aria-busy");
      if (b.dataset.label) b.textContent = b.dataset.label;
    });
  });
});
// Unit fields (data-units): as part of a name is typed, the units of the account's scope that
// carry it, each with the units above it ("Khóm 1 — Phường Bình Đức, Tỉnh An Giang"); choosing
// one puts its code in. A code typed as such is left alone.
var unitTimer = null, unitFields = 0;
document.addEventListener("input", function (event) {
  var field = event.target;
  if (!field.matches || !field.matches("input[data-units]")) return;
  var q = field.value.trim();
  clearTimeout(unitTimer);
  if (q.length < 2 || /^[0-9-]+$/.test(q) || (event.inputType === "insertReplacementText")) return;
  unitTimer = setTimeout(function () {
    var url = "/units/suggest?q=" + encodeURIComponent(q) + (field.dataset.units ? "&level=" + encodeURIComponent(field.dataset.units) : "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (found) {
        if (!field.id) field.id = "unit-field-" + (++unitFields);
        var list = document.getElementById(field.id + "-units");
        if (!list) {
          list = document.createElement("datalist"); list.id = field.id + "-units";
          field.parentNode.insertBefore(list, field.nextSibling); field.setAttribute("list", list.id);
        }
        list.innerHTML = "";
        found.items.forEach(function (u) {
          var o = document.createElement("option"); o.value = u.code; o.label = u.label; o.textContent = u.label; list.appendChild(o);
        });
      }).catch(function () {});
  }, 250);
});
