// The station camera's rules without a page (chalicelib/web/static/checkin_camera.js, `checkinCamera`) and its
// worker's answer to a frame (checkin_qr_worker.js) with the vendored jsQR, in node.
// Run: node --test tests/js/*.test.js   (devtools/check.sh runs it in `make test`).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const camera = require('../../chalicelib/web/static/checkin_camera.js');
const worker = require('../../chalicelib/web/static/checkin_qr_worker.js');
const jsQR = require('../../chalicelib/web/static/vendor/jsqr.js');
const ticket = require('./ticket_qr.json');

// A 640x480 RGBA frame (as a canvas gives it): a grey desk with the ticket QR drawn at `px` pixels a module.
function frame(modules, px, left, top) {
  const width = 640, height = 480, data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) { data[i] = 118; data[i + 1] = 112; data[i + 2] = 104; data[i + 3] = 255; }
  (modules || []).forEach((row, y) => {
    for (let x = 0; x < row.length; x++) {
      const value = row[x] === '1' ? 0 : 255;
      for (let dy = 0; dy < px; dy++) {
        for (let dx = 0; dx < px; dx++) {
          const at = ((top + y * px + dy) * width + left + x * px + dx) * 4;
          data[at] = data[at + 1] = data[at + 2] = value;
        }
      }
    }
  });
  return {data: data, width: width, height: height};
}

test('a frame is decoded at most 640 px wide, its ratio kept; a video without a size yet gives none', () => {
  assert.deepEqual(camera.frameSize(1280, 720), {width: 640, height: 360});
  assert.deepEqual(camera.frameSize(1920, 1080, 640), {width: 640, height: 360});
  assert.deepEqual(camera.frameSize(720, 1280), {width: 640, height: 1138});  // a phone held upright
  assert.deepEqual(camera.frameSize(480, 640), {width: 480, height: 640});  // small enough already
  assert.deepEqual(camera.frameSize(1280, 720, 320), {width: 320, height: 180});
  assert.equal(camera.frameSize(0, 0), null);
  assert.equal(camera.frameSize(undefined, 480), null);
});

test('the native detector where it reads QR codes, else the worker, else no camera at all', () => {
  assert.equal(camera.pickDecoder({camera: true, nativeFormats: ['ean_13', 'qr_code'], worker: true}), 'native');
  assert.equal(camera.pickDecoder({camera: true, nativeFormats: ['ean_13'], worker: true}), 'worker');  // no QR in it
  assert.equal(camera.pickDecoder({camera: true, nativeFormats: [], worker: true}), 'worker');
  assert.equal(camera.pickDecoder({camera: true, nativeFormats: null, worker: true}), 'worker');  // iOS, Firefox
  assert.equal(camera.pickDecoder({camera: true, nativeFormats: null, worker: false}), null);
  assert.equal(camera.pickDecoder({camera: false, nativeFormats: ['qr_code'], worker: true}), null);  // no getUserMedia
});

test('a code held in front of the camera is one scan; the same again only after 3 s out of sight', () => {
  const fresh = camera.repeatFilter();
  assert.equal(camera.REPEAT_MS, 3000);
  assert.equal(fresh('A', 0), true);
  assert.equal(fresh('A', 100), false);
  assert.equal(fresh('A', 2900), false);  // seen all along: still the same scan
  assert.equal(fresh('A', 5800), false);  // 2.9 s since last seen
  assert.equal(fresh('A', 8800), true);  // 3 s out of sight: a new scan
  assert.equal(fresh('B', 8900), true);  // another code at once
  assert.equal(fresh('A', 9000), true);  // back to the first after another: a new scan
  const quick = camera.repeatFilter(500);
  assert.equal(quick('A', 0), true);
  assert.equal(quick('A', 499), false);
  assert.equal(quick('A', 999), true);
});

test('a browser detector failing 10 frames in a row gives way to the worker; the worker is never left', () => {
  assert.equal(camera.NATIVE_FAILURES, 10);
  assert.equal(camera.fallBack('native', 9), false);
  assert.equal(camera.fallBack('native', 10), true);
  assert.equal(camera.fallBack('worker', 100), false);
});

test('the next frame comes as soon as the last is answered, but no more than one every 50 ms', () => {
  assert.equal(camera.MIN_GAP_MS, 50);
  assert.equal(camera.nextDelay(10), 40);
  assert.equal(camera.nextDelay(50), 0);
  assert.equal(camera.nextDelay(180), 0);
  assert.equal(camera.nextDelay(10, 100), 90);
});

test('the worker reads the ticket QR from a 640x480 frame with jsQR, and answers null for a frame without one', () => {
  assert.equal(typeof jsQR, 'function');
  const image = frame(ticket.modules, 5, 180, 90);
  const answer = worker.answer(jsQR, {id: 7, image: image});
  assert.equal(answer.id, 7);
  assert.equal(answer.code, ticket.url);
  assert.ok(answer.ms >= 0);
  const small = worker.answer(jsQR, {id: 8, image: frame(ticket.modules, 3, 20, 300)});
  assert.equal(small.code, ticket.url);  // 3 px a module, in a corner
  const empty = worker.answer(jsQR, {id: 9, image: frame(null, 0, 0, 0)});
  assert.deepEqual([empty.id, empty.code], [9, null]);
});

test('every fifth frame looks for a light-on-dark ticket instead (a darkened page)', () => {
  assert.equal(worker.INVERT_EVERY, 5);
  assert.deepEqual([1, 2, 3, 4, 5, 10].map(worker.invertedFrame), [false, false, false, false, true, true]);
  // jsQR itself tries only dark on light: trying both on every frame would halve the frame rate.
  assert.deepEqual(worker.OPTIONS, {inversionAttempts: 'dontInvert'});
  const dark = frame(ticket.modules.map((row) => row.replace(/[01]/g, (m) => (m === '1' ? '0' : '1'))), 5, 180, 90);
  assert.equal(worker.answer(jsQR, {id: 6, image: dark}).code, null);  // not tried on an ordinary frame
  assert.equal(worker.answer(jsQR, {id: 10, image: dark}).code, ticket.url);
  assert.equal(worker.answer(jsQR, {id: 10, image: frame(ticket.modules, 5, 180, 90)}).code, null);
});
