/* The check-in station's service worker: a station page reloaded without a network (or reopened after the phone
   discarded its tab) shows the working station from the device, with the list and queue it keeps in localStorage.

   Served at /checkin-sw.js by chalicelib.web.service_worker with `Service-Worker-Allowed: /events/`; the station page
   registers it for the scope /events/ (static/checkin_offline.js). The server writes the release into
   __CHECKIN_RELEASE__ (a hash of this file and of every static asset's content), so each deployment that changes a
   script or style is a new worker with a cache of its own.

   What it does, and nothing more:
   - the station page itself (GET /events/<id>/checkin, a navigation): network first, so online it is always fresh;
     a 200 is kept (with the hashed scripts and styles it links) and answered when the network fails or is silent
     for PAGE_WAIT_MS. A 403 or 404 deletes the kept copy (no longer staff, event gone). At most MAX_PAGES pages are
     kept, the least recently fetched go first;
   - the hashed static files (/static/<name>.<hash>.js|css, immutable): cache first, kept when the server says the
     URL is their current content;
   - everything else (the API, GETs as POSTs, other pages under /events/) is not handled at all: the browser sends it
     as if there were no worker, so offline a check-in fails at once and the page queues it, and the page's list,
     counts and look-ups stay what the page (localStorage) says they are.
   Install fetches afresh the station pages open in windows and those the previous release kept; activate deletes
   the caches of other releases and takes over open pages.

   The rules that need no worker come first, as `checkinOffline`, exported to node for
   tests/js/checkin_sw.test.js; in a worker the part below runs with them. */
var checkinOffline = (function () {
  'use strict';
  var PREFIX = 'checkin-station-';
  var STATION = /^\/events\/[^/]+\/checkin$/;
  var ASSET = /^\/static\/[a-z0-9_]{1,40}\.[0-9a-f]{12}\.(?:js|css)$/;
  var LINKED = /\/static\/[a-z0-9_]{1,40}\.[0-9a-f]{12}\.(?:js|css)/g;

  function cacheName(release) { return PREFIX + release; }
  // A URL of this origin, as a URL object, or null.
  function own(url, origin) {
    var parsed = new URL(url, origin);
    return parsed.origin === origin ? parsed : null;
  }
  function isStationPage(url, origin) {
    var parsed = own(url, origin);
    return parsed !== null && STATION.test(parsed.pathname);
  }
  function isAsset(url, origin) {
    var parsed = own(url, origin);
    return parsed !== null && !parsed.search && ASSET.test(parsed.pathname);
  }
  // The hashed static files a page links (script and link tags, and any URL in its config JSON), once each.
  function linkedAssets(html) {
    var seen = {};
    (String(html).match(LINKED) || []).forEach(function (url) { seen[url] = true; });
    return Object.keys(seen);
  }
  // What the worker does with a request: 'page', 'asset' or null (not handled: the browser sends it itself).
  function route(method, mode, url, origin) {
    if (method !== 'GET') return null;
    if (mode === 'navigate' && isStationPage(url, origin)) return 'page';
    if (isAsset(url, origin)) return 'asset';
    return null;
  }
  // The caches of other releases of this worker (never a cache anything else made).
  function staleCaches(names, current) {
    return names.filter(function (name) { return name.indexOf(PREFIX) === 0 && name !== current; });
  }
  // The kept pages to delete so that at most `max` remain (`urls` in the order they were kept, oldest first).
  function overflow(urls, max) { return urls.slice(0, Math.max(0, urls.length - max)); }

  return {
    PREFIX: PREFIX, cacheName: cacheName, isStationPage: isStationPage, isAsset: isAsset,
    linkedAssets: linkedAssets, route: route, staleCaches: staleCaches, overflow: overflow
  };
})();

if (typeof module === 'object' && module.exports) module.exports = checkinOffline;
else (function (core) {
  'use strict';
  var CACHE = core.cacheName('__CHECKIN_RELEASE__');
  var ORIGIN = self.location.origin;
  var PAGE_WAIT_MS = 5000, MAX_PAGES = 8;

  function open() { return caches.open(CACHE); }
  function fetchPage(url) { return fetch(url, {credentials: 'same-origin', cache: 'no-store', redirect: 'manual'}); }

  // A hashed file, kept when the server answered it as that URL's own content (immutable); an old hash is answered
  // with the current file and must not be kept under the old URL.
  function keepAsset(cache, url) {
    return cache.match(url).then(function (found) {
      if (found) return null;
      return fetch(url, {credentials: 'same-origin'}).then(function (response) {
        if (response.ok && /immutable/.test(response.headers.get('Cache-Control') || '')) return cache.put(url, response);
        return null;
      });
    });
  }
  function trimPages(cache) {
    return cache.keys().then(function (requests) {
      var pages = requests.map(function (r) { return r.url; }).filter(function (url) { return core.isStationPage(url, ORIGIN); });
      return Promise.all(core.overflow(pages, MAX_PAGES).map(function (url) { return cache.delete(url); }));
    });
  }
  // Keep a station page's 200 answer and the files it links; a page's other answers are not kept.
  function keepPage(url, response) {
    if (response.status !== 200 || response.type !== 'basic' || response.redirected) return Promise.resolve();
    return Promise.all([open(), response.clone().text()]).then(function (both) {
      var cache = both[0];
      return cache.delete(url)  // so that the page counts as the latest kept
        .then(function () { return cache.put(url, response); })
        .then(function () { return Promise.all(core.linkedAssets(both[1]).map(function (asset) { return keepAsset(cache, asset); })); })
        .then(function () { return trimPages(cache); });
    });
  }
  function forgetPage(url) { return open().then(function (cache) { return cache.delete(url); }); }

  function kept(url) {
    return open().then(function (cache) { return cache.match(url, {ignoreVary: true}); });
  }
  // Network first: online the page is always the server's; the kept copy when the network fails or stays silent.
  function page(event) {
    var url = event.request.url;
    var network = fetch(event.request);
    // Registered first, so the copy is taken before the page reads the answer; kept alive until written.
    event.waitUntil(network.then(function (response) {
      if (response.status === 200) return keepPage(url, response.clone());
      if (response.status === 403 || response.status === 404) return forgetPage(url);
      return null;
    }).catch(function () { /* offline, or the cache refused: the page is answered all the same */ }));
    var timer;
    var slow = new Promise(function (resolve) { timer = setTimeout(resolve, PAGE_WAIT_MS); }).then(function () {
      return kept(url).then(function (found) { return found || network; });
    });
    var fallback = network.catch(function (error) {
      return kept(url).then(function (found) {
        if (found) return found;
        throw error;
      });
    });
    return Promise.race([fallback, slow]).then(function (response) { clearTimeout(timer); return response; });
  }
  function asset(event) {
    var request = event.request;
    return open().then(function (cache) {
      return cache.match(request.url).then(function (found) {
        if (found) return found;
        return fetch(request).then(function (response) {
          if (response.ok && /immutable/.test(response.headers.get('Cache-Control') || '')) {
            event.waitUntil(cache.put(request.url, response.clone()).catch(function () {}));
          }
          return response;
        });
      });
    });
  }

  self.addEventListener('fetch', function (event) {
    var kind = core.route(event.request.method, event.request.mode, event.request.url, ORIGIN);
    if (kind === 'page') event.respondWith(page(event));
    else if (kind === 'asset') event.respondWith(asset(event));
  });

  // The station pages to fetch afresh for this release: those open in windows and those an earlier release kept.
  function stationPages() {
    var open = self.clients.matchAll({type: 'window', includeUncontrolled: true}).then(function (windows) {
      return windows.map(function (w) { return w.url; });
    });
    var earlier = caches.keys().then(function (names) {
      return Promise.all(core.staleCaches(names, CACHE).map(function (name) {
        return caches.open(name).then(function (cache) { return cache.keys(); }).then(function (requests) {
          return requests.map(function (r) { return r.url; });
        });
      }));
    });
    return Promise.all([open, earlier]).then(function (found) {
      var urls = found[0].concat.apply(found[0], found[1]).filter(function (url) { return core.isStationPage(url, ORIGIN); });
      return urls.filter(function (url, i) { return urls.indexOf(url) === i; }).slice(-MAX_PAGES);
    });
  }
  self.addEventListener('install', function (event) {
    // A page that no longer answers 200 is skipped; a network failure fails the install and the release before
    // stays in place, whole.
    event.waitUntil(stationPages().then(function (urls) {
      return Promise.all(urls.map(function (url) {
        return fetchPage(url).then(function (response) { return keepPage(url, response); });
      }));
    }).then(function () { return self.skipWaiting(); }));
  });
  self.addEventListener('activate', function (event) {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(core.staleCaches(names, CACHE).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); }));
  });
})(checkinOffline);
