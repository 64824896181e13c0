// The station camera's QR decoder, off the page's thread: a Web Worker that checkin_camera.js starts where the
// browser has no BarcodeDetector for QR codes (iOS Safari, WeChat, Firefox, desktop Chrome on Windows and Linux).
// The page first sends {decoder: url}: the vendored jsQR (static/vendor/jsqr.js) under its content-hashed URL, loaded
// with importScripts from this origin (CSP worker-src and script-src 'self'). Then one frame at a time,
// {id, image: ImageData} (its pixels transferred, not copied), each answered {id, code: text or null, ms, inverted}; the page
// sends the next frame only after the answer, so frames never queue here.
var checkinQrWorker = (function () {
  'use strict';
  // Tickets are dark modules on a light screen: trying the inverted image as well on every frame would halve the
  // frame rate. Every INVERT_EVERY-th frame is inverted first instead (about a millisecond), for a ticket shown light
  // on dark (a phone or an in-app browser that darkens pages). (jsQR's own 'onlyInvert' fails in 1.4.0.)
  var OPTIONS = {inversionAttempts: 'dontInvert'}, INVERT_EVERY = 5;
  function invertedFrame(id) { return id % INVERT_EVERY === 0; }
  // The frame's pixels turned light for dark, in place (the frame's buffer was transferred to the worker).
  function invert(data) {
    for (var i = 0; i < data.length; i += 4) {
      data[i] = 255 - data[i];
      data[i + 1] = 255 - data[i + 1];
      data[i + 2] = 255 - data[i + 2];
    }
    return data;
  }

  // The answer to one frame message, decoded with `decode` (jsQR's function). jsQR throws on some frames (a finder
  // pattern it cannot place): such a frame is answered like one without a code, so the page sends the next.
  function answer(decode, message) {
    var started = Date.now(), image = message.image, code = null, error;
    try {
      var data = invertedFrame(message.id) ? invert(image.data) : image.data;
      var found = decode(data, image.width, image.height, OPTIONS);
      if (found && typeof found.data === 'string' && found.data) code = found.data;
    } catch (thrown) {
      error = String(thrown && thrown.message || thrown);
    }
    var reply = {id: message.id, code: code, ms: Date.now() - started, inverted: invertedFrame(message.id)};
    if (error) reply.error = error;
    return reply;
  }

  return {answer: answer, invertedFrame: invertedFrame, INVERT_EVERY: INVERT_EVERY, OPTIONS: OPTIONS};
})();

if (typeof module === 'object' && module.exports) module.exports = checkinQrWorker;
else (function (worker) {
  'use strict';
  var decode = null;
  self.onmessage = function (event) {
    var message = event.data || {};
    if (message.decoder) {
      importScripts(message.decoder);
      decode = self.jsQR;
      return;
    }
    if (!decode || !message.image) {
      self.postMessage({id: message.id, code: null, ms: 0, error: 'not_ready'});
      return;
    }
    self.postMessage(worker.answer(decode, message));
  };
})(checkinQrWorker);
