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
