/* Registers the check-in station's service worker (chalicelib/web/checkin_sw.js, served at the script tag's
   data-worker URL) for the scope in data-scope, so that a station page reloaded without a network opens from the
   device. Browsers give service workers to secure contexts only (https, and http on localhost or 127.0.0.1); without
   one the station works as before, only not after a reload offline. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register(script.getAttribute('data-worker'), {scope: script.getAttribute('data-scope')})
    .catch(function () { /* private mode or storage refused: the station works online as before */ });
})();
