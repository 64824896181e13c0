// The station service worker's rules without a worker (chalicelib/web/checkin_sw.js, `checkinOffline`), in node.
// Run: node --test tests/js/*.test.js
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const offline = require('../../chalicelib/web/checkin_sw.js');

const ORIGIN = 'https://union.example.edu.cn';

test('only GETs of a station page (navigations) and hashed static files are handled', () => {
  const cases = [
    ['GET', 'navigate', '/events/ev-1/checkin', 'page'],
    ['GET', 'navigate', '/events/ev-1/checkin?point=entry&lang=en', 'page'],
    ['GET', 'navigate', ORIGIN + '/events/ev-1/checkin', 'page'],
    ['GET', 'cors', '/events/ev-1/checkin', null],  // a fetch of the page, not a navigation
    ['POST', 'navigate', '/events/ev-1/checkin', null],
    ['GET', 'navigate', '/events/ev-1', null],  // the event page, other people's pages: never kept
    ['GET', 'navigate', '/events/ev-1/checkin/x', null],
    ['GET', 'navigate', '/events/ev-1/register', null],
    ['GET', 'navigate', '/admin/events/ev-1/checkin', null],
    ['GET', 'navigate', 'https://elsewhere.example/events/ev-1/checkin', null],
    ['GET', 'cors', '/api/events/ev-1/checkin/list?point=entry', null],  // the API goes to the network
    ['POST', 'cors', '/api/events/ev-1/checkin', null],
    ['POST', 'cors', '/api/events/ev-1/checkin/upload', null],
    ['GET', 'no-cors', '/static/checkin_station.0123456789ab.js', 'asset'],
    ['GET', 'no-cors', '/static/base.0123456789ab.css', 'asset'],
    ['GET', 'no-cors', '/static/base.css', null],  // no hash: revalidated by the server, not kept
    ['GET', 'no-cors', '/static/base.0123456789ab.css?x=1', null],
    ['GET', 'no-cors', '/static/base.0123456789AB.css', null],
    ['GET', 'no-cors', 'https://cdn.example/static/base.0123456789ab.css', null],
    ['POST', 'cors', '/static/base.0123456789ab.css', null]
  ];
  for (const [method, mode, url, expected] of cases) {
    assert.equal(offline.route(method, mode, url, ORIGIN), expected, `${method} ${mode} ${url}`);
  }
});

test('the files a page links are read from its script and link tags and its config, once each', () => {
  const html = [
    '<link rel="stylesheet" href="/static/base.aaaaaaaaaaaa.css">',
    '<script src="/static/app.bbbbbbbbbbbb.js" defer></script>',
    '<div data-worker-src="/static/checkin_qr_worker.cccccccccccc.js"></div>',
    '<script type="application/json">{"decoder": "/static/jsqr.dddddddddddd.js"}</script>',
    '<script src="/static/app.bbbbbbbbbbbb.js"></script>',
    '<a href="/static/base.css">unhashed</a> <a href="/events/ev-1">event</a>'
  ].join('\n');
  assert.deepEqual(offline.linkedAssets(html), [
    '/static/base.aaaaaaaaaaaa.css', '/static/app.bbbbbbbbbbbb.js', '/static/checkin_qr_worker.cccccccccccc.js',
    '/static/jsqr.dddddddddddd.js'
  ]);
  assert.deepEqual(offline.linkedAssets(''), []);
});

test('a release deletes the caches of other releases and nothing else', () => {
  const current = offline.cacheName('222222222222');
  assert.equal(current, 'checkin-station-222222222222');
  const names = ['checkin-station-111111111111', current, 'other-app-cache', 'checkin-station-000000000000'];
  assert.deepEqual(offline.staleCaches(names, current), ['checkin-station-111111111111', 'checkin-station-000000000000']);
  assert.deepEqual(offline.staleCaches([current], current), []);
});

test('at most so many pages are kept: the ones kept first go first', () => {
  assert.deepEqual(offline.overflow(['a', 'b', 'c', 'd'], 2), ['a', 'b']);
  assert.deepEqual(offline.overflow(['a', 'b'], 2), []);
  assert.deepEqual(offline.overflow([], 2), []);
});
