// Phonebank's service worker: every file of the caller app is cached at install and served
// from the cache first, so the app starts with no network after the first visit.
// The build fills in VERSION (a hash of every file's hash) and PRECACHE.
"use strict";

const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__; // ["/path", ...]; big files carry their content hash in the name
const CACHE = "phonebank-" + VERSION;
// Live data and the server-driven apps never come from the cache.
const NETWORK_ONLY = ["/api/", "/console", "/app/", "/ws"];
const FILES = new Set(PRECACHE);

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const path of PRECACHE) {
        // A file whose name (so content) is unchanged since the last version is copied
        // across, so an update downloads only what changed.
        const kept = await caches.match(path);
        if (kept && path.match(/\.[0-9a-f]{12}[./]/)) {
          await cache.put(path, kept);
          continue;
        }
        // no-cache: revalidate with the HTTP cache (a 304 when the page already loaded it)
        // rather than trusting a copy of the previous version.
        const response = await fetch(path, { cache: "no-cache" });
        if (!response.ok) throw new Error(`precache ${path}: HTTP ${response.status}`);
        await cache.put(path, response);
      }
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("phonebank-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// The page asks a waiting new version to take over at the start of a launch, before
// anything of the app has loaded, so one launch never mixes two versions.
self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NETWORK_ONLY.some((prefix) => url.pathname.startsWith(prefix))) return;
  const path = request.mode === "navigate" ? "/index.html" : url.pathname;
  if (!FILES.has(path)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(path);
      if (hit) return hit;
      const response = await fetch(path);
      if (response.ok) await cache.put(path, response.clone());
      return response;
    })(),
  );
});
