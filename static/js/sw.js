// Service worker: the app shell works with no network, and the outbox drains when it returns.
importScripts("/static/js/outbox.js");

const SHELL = "cramp-shell-v2"; // v1 kept the live quick log, alerts and all: dropped on activate
const QUICK_LOG = "/offline/quick-log/"; // the quick log without anything personal
const OFFLINE = "/offline/";
const EMERGENCY = "/emergency/"; // when to get help, offline too
const FILES = ["/static/css/app.css", "/static/css/logout.css", "/static/js/app.js",
  "/static/js/quicklog.js", "/static/js/outbox.js", "/static/js/logout.js",
  "/static/icons/icon-192.png", "/static/manifest.webmanifest"];

// Health data must not outlive its page: an answer sent no-store is never kept.
const storable = (response) => response.ok && !response.redirected &&
  !/no-store/i.test(response.headers.get("Cache-Control") || "");

async function keep(cache, url) {
  const response = await fetch(url, { credentials: "same-origin", cache: "no-cache" });
  if (storable(response)) await cache.put(url, response);
}

// The offline quick log is refreshed whenever the live one opens; the rest when missing.
async function refresh({ everything }) {
  const cache = await caches.open(SHELL);
  const missing = [];
  for (const url of [...FILES, OFFLINE, EMERGENCY]) if (everything || !(await cache.match(url))) missing.push(url);
  await Promise.all([QUICK_LOG, ...missing].map((url) => keep(cache, url).catch(() => {})));
}

self.addEventListener("install", (event) => {
  event.waitUntil(refresh({ everything: true }).then(() => self.skipWaiting()));
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
    // Network first, so pages are always current; the offline quick log when there is none.
    event.respondWith(fetch(request).then((response) => {
      if (url.pathname === "/" && response.ok && !response.redirected) {
        event.waitUntil(refresh({ everything: false }));
      }
      return response;
    }).catch(() => caches.match({ "/": QUICK_LOG, [EMERGENCY]: EMERGENCY }[url.pathname] || OFFLINE)
      .then((cached) => cached || caches.match(OFFLINE))));
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
