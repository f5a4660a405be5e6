// Phonebank's service worker: what a start needs is cached at install and served from the
// cache first, so the app starts with no network after the first visit.
// The build fills in VERSION (a hash of every file's hash), FILES and PRECACHE
// (sync_server/pwa/precache.py says what goes where).
"use strict";

const VERSION = "__VERSION__";
// Every file of the bundle ("/path" → content hash, also its ETag); big files carry
// their hash in their name too.
const FILES = __FILES__;
// Precached at install: "common", plus the CanvasKit variant this browser loads. Every
// other file of FILES (script fonts, licence text, …) is cached when first fetched.
const PRECACHE = __PRECACHE__;
const CACHE = "phonebank-" + VERSION;
// Live data and the server-driven apps never come from the cache.
const NETWORK_ONLY = ["/api/", "/console", "/app/", "/ws"];

// Flutter's loader (flutter.js) loads canvaskit/chromium/ when the browser has Chromium's
// break iterators and image codecs; ImageDecoder is not exposed to service workers, and
// Intl.v8BreakIterator exists only in V8, so the break iterators decide here.
function loadsChromiumCanvasKit() {
  return typeof Intl.v8BreakIterator !== "undefined" && typeof Intl.Segmenter !== "undefined";
}

function current(response, path) {
  return response?.ok && response.headers.get("ETag") === `"${FILES[path]}"`;
}

// A copy of path this version can use, from an earlier version's cache or (when the page
// loaded it before this worker controlled it) from the HTTP cache; null when there is none.
async function kept(path) {
  const earlier = await caches.match(path);
  if (current(earlier, path)) return earlier;
  try {
    const cached = await fetch(path, { cache: "only-if-cached", mode: "same-origin" });
    if (current(cached, path)) return cached;
  } catch {
    // not in the HTTP cache
  }
  return null;
}

// The files fetched when first used (a script font…) that a copy exists of already.
async function keepLazy(cache) {
  const precached = new Set([...PRECACHE.common, ...PRECACHE.chromium, ...PRECACHE.other]);
  for (const path of Object.keys(FILES)) {
    if (precached.has(path) || (await cache.match(path))) continue;
    const copy = await kept(path);
    if (copy) await cache.put(path, copy);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const variant = loadsChromiumCanvasKit() ? PRECACHE.chromium : PRECACHE.other;
      for (const path of [...PRECACHE.common, ...variant]) {
        // A file whose content is unchanged since the last version is copied across, so
        // an update downloads only what changed.
        const copy = await caches.match(path);
        if (current(copy, path)) {
          await cache.put(path, copy);
          continue;
        }
        // no-cache: revalidate with the HTTP cache (a 304 when the page already loaded it)
        // rather than trusting a copy of the previous version.
        const response = await fetch(path, { cache: "no-cache" });
        if (!response.ok) throw new Error(`precache ${path}: HTTP ${response.status}`);
        await cache.put(path, response);
      }
      await keepLazy(cache);
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      // Again: the page may have fetched a font while this worker installed.
      await keepLazy(await caches.open(CACHE));
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

// A tap on a callback reminder brings the app forward (or opens it).
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients
      .matchAll({ type: "window", includeUncontrolled: true })
      .then((windows) => (windows.length ? windows[0].focus() : self.clients.openWindow("/"))),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NETWORK_ONLY.some((prefix) => url.pathname.startsWith(prefix))) return;
  const path = request.mode === "navigate" ? "/index.html" : url.pathname;
  if (!(path in FILES)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(path);
      if (hit) return hit;
      // Not precached (or this browser loads the other CanvasKit): kept once fetched.
      const response = await fetch(path);
      if (response.ok) await cache.put(path, response.clone());
      return response;
    })(),
  );
});
