// Hamlet's service worker. The site's files (one version, in the address this was registered
// with) and the offline page are kept at install; the start page and report forms are kept as
// they are opened, or when the start page hands over its report links, so a collaborator opens
// them with no connection. Pages go to the network first; a kept copy answers only when the
// network does not. Nothing else is kept, and nothing is ever sent from here: a report waiting
// on the phone is sent by the page (offline.js), with the session's form token.
var version = new URL(self.location.href).searchParams.get("v") || "0";
var SHELL = "hamlet-shell-" + version, PAGES = "hamlet-pages";
var files = ["/hamlet.css", "/hamlet.js", "/offline.js", "/favicon.svg"].map(function (f) { return f + "?v=" + version; });

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(files.concat(["/offline"])); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("hamlet-shell-") === 0 && k !== SHELL; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// A page worth keeping: the start page and report forms. The notice after a save is not part of
// the address it is kept under.
function keyOf(url) {
  if (url.pathname !== "/" && url.pathname !== "/reports/entry") return null;
  var kept = new URL(url.href);
  kept.searchParams.delete("notice");
  return kept.href;
}

function keep(key, response) {
  if (!key || !response.ok || response.redirected) return Promise.resolve();
  return caches.open(PAGES).then(function (cache) { return cache.put(key, response); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (files.indexOf(url.pathname + url.search) >= 0) {
    event.respondWith(caches.match(request, { cacheName: SHELL, ignoreVary: true }).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode !== "navigate") return;
  var key = keyOf(url);
  event.respondWith(fetch(request).then(function (response) {
    event.waitUntil(keep(key, response.clone()));
    return response;
  }, function () {
    return (key ? caches.match(key, { cacheName: PAGES, ignoreVary: true }) : Promise.resolve(null)).then(function (hit) {
      return hit || caches.match("/offline", { cacheName: SHELL, ignoreVary: true });
    });
  }));
});

self.addEventListener("message", function (event) {
  var links = event.data && event.data.keep;
  if (!Array.isArray(links)) return;
  event.waitUntil(Promise.all(links.map(function (link) {
    var url = new URL(link, self.location.origin);
    if (url.origin !== self.location.origin) return null;
    return fetch(url.href, { credentials: "same-origin" }).then(function (r) { return keep(keyOf(url), r); }, function () {});
  })));
});
