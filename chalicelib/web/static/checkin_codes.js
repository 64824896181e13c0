/* Live (rotating) ticket codes, as chalicelib.domain.checkin_codes makes and reads them: the member's ticket page
   draws them (ticket_page.js), the scanning station verifies them offline (checkin_station.js). Page-free: node
   loads it for tests/js/checkin_codes.test.js (`module.exports`), against the cases of tests/js/checkin_codes.json
   that tests/unit/test_checkin_codes.py checks against the Python rules.

   A live code is the ticket URL with `?r=<step>.<mac>`: step = Unix seconds // 30, mac = the first 16 hex digits
   of HMAC-SHA256(live key, "<ticket>.<step>"). HMAC comes from Web Crypto (crypto.subtle), which browsers give to
   secure contexts only (https, and http on localhost); elsewhere it is refused with an error named 'NoWebCrypto'. */
var checkinCodes = (function () {
  'use strict';
  var LIVE_STEP = 30, LIVE_SKEW = 5;
  var LIVE = /[?&]r=(\d{1,12})\.([0-9a-f]{16})(?:[&#]|$)/;

  function hex(bytes) {
    var out = '';
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }
  function fromHex(text) {
    var bytes = new Uint8Array(text.length / 2);
    for (var i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.substr(i * 2, 2), 16);
    return bytes;
  }
  function noWebCrypto() {
    var error = new Error('HMAC needs Web Crypto (crypto.subtle): open the page over https');
    error.name = 'NoWebCrypto';
    return Promise.reject(error);
  }
  // HMAC-SHA256 of text under a hex key, as hex.
  function hmacHex(keyHex, text, subtle) {
    if (!subtle) return noWebCrypto();
    return subtle.importKey('raw', fromHex(keyHex), {name: 'HMAC', hash: 'SHA-256'}, false, ['sign'])
      .then(function (key) { return subtle.sign('HMAC', key, new TextEncoder().encode(text)); })
      .then(function (buffer) { return hex(new Uint8Array(buffer)); });
  }
  function liveMac(keyHex, ticket, step, subtle) {
    return hmacHex(keyHex, ticket + '.' + step, subtle).then(function (full) { return full.slice(0, 16); });
  }
  function stepAt(nowMs, seconds) { return Math.floor(nowMs / 1000 / (seconds || LIVE_STEP)); }
  // Whether step is the step running at nowMs, give or take skew seconds at either end (step_is_current).
  function stepIsCurrent(step, nowMs, seconds, skew) {
    var moment = nowMs / 1000;
    return step * seconds - skew <= moment && moment < (step + 1) * seconds + skew;
  }
  // The live code at nowMs: ticketUrl is the plain ticket URL (".../t/<ticket>").
  function liveCode(ticketUrl, ticket, keyHex, nowMs, subtle) {
    var step = stepAt(nowMs);
    return liveMac(keyHex, ticket, step, subtle).then(function (mac) { return ticketUrl + '?r=' + step + '.' + mac; });
  }
  // The step and MAC a scanned code carries after its ticket (any case), or null (live_part).
  function livePart(code) {
    var text = String(code).trim().toLowerCase(), at = text.lastIndexOf('/t/');
    var found = at >= 0 ? text.slice(at).match(LIVE) : null;
    return found ? {step: Number(found[1]), mac: found[2]} : null;
  }
  // null for the ticket's current live code; 'ticket_stale' for an old one or the plain ticket; 'unknown' for a
  // MAC that is not the ticket's (live_verdict).
  function liveVerdict(keyHex, ticket, code, nowMs, subtle) {
    var part = livePart(code);
    if (!part) return Promise.resolve('ticket_stale');
    return liveMac(keyHex, ticket, part.step, subtle).then(function (mac) {
      if (mac !== part.mac) return 'unknown';
      return stepIsCurrent(part.step, nowMs, LIVE_STEP, LIVE_SKEW) ? null : 'ticket_stale';
    });
  }
  // How far the server's clock is ahead of this device's, from a server time (ISO or ms) read at localMs.
  function clockOffset(serverTime, localMs) {
    var server = typeof serverTime === 'number' ? serverTime : Date.parse(serverTime);
    return isNaN(server) || !localMs ? 0 : server - localMs;
  }

  return {
    LIVE_STEP: LIVE_STEP, LIVE_SKEW: LIVE_SKEW, hmacHex: hmacHex, liveMac: liveMac, stepAt: stepAt,
    stepIsCurrent: stepIsCurrent, liveCode: liveCode, livePart: livePart, liveVerdict: liveVerdict,
    clockOffset: clockOffset
  };
})();

if (typeof module === 'object' && module.exports) module.exports = checkinCodes;
