// The station's camera (checkin_station.html, after checkin_station.js): reads ticket QR codes from the <video> and
// hands each one to the station's scan path (window.checkinStationScan), like a typed or scanned code.
// Decoding: the browser's own BarcodeDetector where it reads QR codes (Chrome on Android and macOS); everywhere else
// (iOS Safari, WeChat, Firefox, desktop Chrome on Windows and Linux) the vendored jsQR in a Web Worker
// (checkin_qr_worker.js), fed one frame at a time from a canvas at most 640 px wide: the next frame is grabbed only
// once the previous one is answered, so frames are dropped, never queued, and the page stays responsive.
// The camera box says which one it uses: data-decoder="native" or "worker" (and data-frames, frames decoded).
var checkinCamera = (function () {
  'use strict';
  var MAX_WIDTH = 640, REPEAT_MS = 3000, MIN_GAP_MS = 50, NATIVE_FAILURES = 10;

  // The size a video frame is decoded at: its own, scaled down to at most `max` px wide (ratio kept).
  function frameSize(width, height, max) {
    if (!(width > 0 && height > 0)) return null;
    var limit = max || MAX_WIDTH, scale = width > limit ? limit / width : 1;
    return {width: Math.round(width * scale), height: Math.max(1, Math.round(height * scale))};
  }

  // Which decoder this browser gets: 'native' when BarcodeDetector reads QR codes (`nativeFormats`: its supported
  // formats, null when it is missing), else 'worker' when Web Workers run, else null (no camera button at all).
  function pickDecoder(features) {
    if (!features.camera) return null;
    if (features.nativeFormats && features.nativeFormats.indexOf('qr_code') !== -1) return 'native';
    return features.worker ? 'worker' : null;
  }

  // A code held in front of the camera is read once: the same code again only after `ms` out of sight.
  // Returns a function (code, now in ms) -> whether this sighting is a new scan.
  function repeatFilter(ms) {
    var wait = ms === undefined ? REPEAT_MS : ms, lastCode = '', lastSeen = -Infinity;
    return function (code, now) {
      var repeat = code === lastCode && now - lastSeen < wait;
      lastCode = code;
      lastSeen = now;
      return !repeat;
    };
  }

  // How long to wait before grabbing the next frame, the last one having taken `elapsed` ms: frames come as fast as
  // they are decoded, but no more than one every MIN_GAP_MS (20 a second is plenty and spares the battery).
  function nextDelay(elapsed, gap) {
    var wait = (gap === undefined ? MIN_GAP_MS : gap) - elapsed;
    return wait > 0 ? wait : 0;
  }

  // Whether to leave the browser's detector for the worker: it has failed `failures` frames in a row (a detector
  // that is there but cannot run, e.g. its platform service missing). The worker is never left.
  function fallBack(kind, failures) { return kind === 'native' && failures >= NATIVE_FAILURES; }

  return {
    MAX_WIDTH: MAX_WIDTH, REPEAT_MS: REPEAT_MS, MIN_GAP_MS: MIN_GAP_MS, NATIVE_FAILURES: NATIVE_FAILURES,
    frameSize: frameSize, pickDecoder: pickDecoder, repeatFilter: repeatFilter, nextDelay: nextDelay, fallBack: fallBack
  };
})();

if (typeof module === 'object' && module.exports) module.exports = checkinCamera;
else (function (core) {
  'use strict';
  var box = document.getElementById('camera-box'), button = document.getElementById('camera-button');
  var video = document.getElementById('camera'), config = document.getElementById('station-config');
  if (!box || !button || !video || !config || typeof window.checkinStationScan !== 'function') return;
  var T = JSON.parse(config.textContent).text;
  var stream = null, starting = false, decoder = null, running = false, timer = null, frames = 0, fresh = core.repeatFilter();
  var kind = null, failures = 0;  // the decoder in use ('native' or 'worker'; a failing native one gives way for good)

  var input = document.getElementById('scan-input');
  function focusScan() { if (input) input.focus(); }
  // While the camera runs, the scan input (kept focused for a handheld scanner) opens no on-screen keyboard over the
  // video; tapping the input itself brings it back for typing.
  function keyboard(shown) {
    if (!input) return;
    if (shown) input.removeAttribute('inputmode'); else input.setAttribute('inputmode', 'none');
  }
  if (input) input.addEventListener('pointerdown', function () { keyboard(true); });
  function note(text) { document.getElementById('note').textContent = text; }

  // The browser's detector: it reads the <video> itself.
  function nativeDecoder() {
    var detector = new window.BarcodeDetector({formats: ['qr_code']});
    return {
      decode: function () {
        return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
      },
      stop: function () {}
    };
  }
  // jsQR in a worker: the frame is drawn into a canvas at most MAX_WIDTH wide and its pixels sent over.
  function workerDecoder() {
    var worker = new Worker(box.getAttribute('data-worker-src')), canvas = document.createElement('canvas');
    var context = canvas.getContext('2d', {willReadFrequently: true}), pending = null, id = 0;
    worker.postMessage({decoder: box.getAttribute('data-decoder-src')});
    worker.onmessage = function (event) {
      var answer = event.data || {};
      if (pending && answer.id === pending.id) { var done = pending; pending = null; done.resolve(answer.code || null); }
    };
    worker.onerror = function (event) {
      if (pending) { var done = pending; pending = null; done.reject(event); }
    };
    return {
      decode: function () {
        var size = core.frameSize(video.videoWidth, video.videoHeight, core.MAX_WIDTH);
        if (!size) return Promise.resolve(null);
        if (canvas.width !== size.width) canvas.width = size.width;
        if (canvas.height !== size.height) canvas.height = size.height;
        context.drawImage(video, 0, 0, size.width, size.height);
        var image = context.getImageData(0, 0, size.width, size.height);
        return new Promise(function (resolve, reject) {
          id += 1;
          pending = {id: id, resolve: resolve, reject: reject};
          worker.postMessage({id: id, image: image}, [image.data.buffer]);
        });
      },
      stop: function () { worker.terminate(); }
    };
  }

  function found(code) {
    failures = 0;
    frames += 1;
    box.setAttribute('data-frames', String(frames));
    if (code && fresh(code, Date.now())) window.checkinStationScan(code);
  }
  // A frame that could not be read; the browser's detector failing frame after frame gives way to the worker.
  function failed() {
    failures += 1;
    if (!core.fallBack(kind, failures) || typeof Worker !== 'function') return;
    decoder.stop();
    kind = 'worker';
    decoder = workerDecoder();
    box.setAttribute('data-decoder', kind);
  }
  // One frame at a time: the next is grabbed only after this one is answered.
  function tick() {
    timer = null;
    if (!running) return;
    if (video.readyState < 2) { timer = setTimeout(tick, 100); return; }
    var started = Date.now();
    decoder.decode().then(found, failed).then(function () {
      if (running) timer = setTimeout(tick, core.nextDelay(Date.now() - started));
    });
  }

  function stopCamera() {
    running = false;
    clearTimeout(timer);
    timer = null;
    if (decoder) decoder.stop();
    decoder = null;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    button.textContent = T.camera_start;
    keyboard(true);
  }
  function startCamera() {
    var constraints = {video: {facingMode: 'environment', width: {ideal: 1280}, height: {ideal: 720}}, audio: false};
    starting = true;
    navigator.mediaDevices.getUserMedia(constraints).then(function (media) {
      starting = false;
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      keyboard(false);
      var playing = video.play();
      if (playing && playing.catch) playing.catch(function () { /* shown paused; frames are still read */ });
      button.textContent = T.camera_stop;
      failures = 0;
      decoder = kind === 'native' ? nativeDecoder() : workerDecoder();
      box.setAttribute('data-decoder', kind);
      running = true;
      tick();
    }, function (error) {
      starting = false;
      note((T.camera_failed || '').replace('{message}', error && error.name ? error.name : ''));
    });
  }

  function nativeFormats() {
    var Detector = window.BarcodeDetector;
    if (typeof Detector !== 'function') return Promise.resolve(null);
    if (typeof Detector.getSupportedFormats !== 'function') return Promise.resolve(['qr_code']);
    return Detector.getSupportedFormats().then(null, function () { return null; });
  }
  nativeFormats().then(function (formats) {
    kind = core.pickDecoder({
      camera: !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia),
      nativeFormats: formats,
      worker: typeof Worker === 'function'
    });
    if (!kind) return;
    box.setAttribute('data-decoder', kind);
    button.hidden = false;
    button.addEventListener('click', function () {
      if (stream) stopCamera(); else if (!starting) startCamera();
      focusScan();
    });
    // A station put away (tab hidden, phone locked) lets the camera go.
    document.addEventListener('visibilitychange', function () { if (document.hidden && stream) stopCamera(); });
  });
})(checkinCamera);
