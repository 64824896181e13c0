// The station camera's QR decoder, off the page's thread: a Web Worker that checkin_camera.js starts where the
// browser has no BarcodeDetector for QR codes (iOS Safari, WeChat, Firefox, desktop Chrome on Windows and Linux).
// The page first sends {decoder: url}: the vendored jsQR (static/vendor/jsqr.js) under its content-hashed URL, loaded
// with importScripts from this origin (CSP worker-src and script-src 'self'). Then one frame at a time,
// {id, image: ImageData} (its pixels transferred, not copied), each answered {id, code: text or null, ms}; the page
// sends the next frame only after the answer, so frames never queue here.
var checkinQrWorker = (function () {
  'use strict';
  // Tickets are dark modules on a light screen: trying the inverted image as well would halve the frame rate.
  var OPTIONS = {inversionAttempts: 'dontInvert'};

  // The answer to one frame message, decoded with `decode` (jsQR's function).
  function answer(decode, message) {
    var started = Date.now(), image = message.image, code = null;
    var found = decode(image.data, image.width, image.height, OPTIONS);
    if (found && typeof found.data === 'string' && found.data) code = found.data;
    return {id: message.id, code: code, ms: Date.now() - started};
  }

  return {answer: answer, OPTIONS: OPTIONS};
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
    try {
      self.postMessage(worker.answer(decode, message));
    } catch (error) {
      // A frame jsQR cannot take (a torn or empty image): answered so the page sends the next one.
      self.postMessage({id: message.id, code: null, ms: 0, error: String(error && error.message || error)});
    }
  };
})(checkinQrWorker);
