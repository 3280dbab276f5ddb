// Service worker: the app shell works with no network, and the outbox drains when it returns.
importScripts("/static/js/outbox.js");

const SHELL = "cramp-shell-v1";
const PAGES = ["/", "/offline/", "/emergency/"];
const FILES = ["/static/css/app.css", "/static/js/app.js", "/static/js/quicklog.js",
  "/static/js/outbox.js", "/static/icons/icon-192.png", "/static/manifest.webmanifest"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll([...FILES, "/offline/", "/emergency/"]))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== SHELL).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin) return;
  if (request.mode === "navigate") {
    // Network first, so pages are always current; the last good quick log when offline.
    event.respondWith(fetch(request).then((response) => {
      if (url.pathname === "/" && response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(SHELL).then(async (cache) => {
          await cache.put("/", copy);
          if (!(await cache.match("/offline/"))) await cache.addAll([...FILES, "/offline/", "/emergency/"]);
        });
      }
      return response;
    }).catch(() => caches.match(PAGES.includes(url.pathname) ? url.pathname : "/offline/")
      .then((cached) => cached || caches.match("/offline/"))));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") event.waitUntil(self.CrampOutbox.flush());
});

self.addEventListener("message", (event) => {
  if (event.data === "logged-out") event.waitUntil(caches.delete(SHELL));
});
