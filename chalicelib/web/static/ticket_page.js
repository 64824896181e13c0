/* A member's ticket (ticket_page.html). */
/* Keep the screen on while the code is shown (where the browser allows it). */
if (navigator.wakeLock) { navigator.wakeLock.request('screen').catch(function () {}); }

/* A live ticket (the event's live tickets, #ticket-config): a new code every 30 s, drawn here (checkin_codes.js and
   the vendored qrcode-generator) on the server's clock as the page last heard it, so it keeps working without the
   network at the door. Without Web Crypto (a page over plain http from another machine) the page reloads instead. */
(function (codes) {
  'use strict';
  var config = document.getElementById('ticket-config');
  if (!config || !codes || typeof qrcode !== 'function') return;
  var live = JSON.parse(config.textContent);
  var box = document.getElementById('ticket-qr'), left = document.getElementById('ticket-live-left');
  var skew = codes.clockOffset(live.server_now, Date.now());
  var subtle = window.crypto && window.crypto.subtle, shown = codes.stepAt(live.server_now), drawing = false;
  var SVG = 'http://www.w3.org/2000/svg', QUIET = 4;
  function serverNow() { return Date.now() + skew; }
  // The code as the server draws it: an SVG path of dark modules, 4 light modules around, sized by the page's CSS.
  function draw(text, step) {
    var qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    var count = qr.getModuleCount(), size = count + 2 * QUIET, d = '';
    for (var r = 0; r < count; r++) {
      for (var c = 0; c < count; c++) if (qr.isDark(r, c)) d += 'M' + (c + QUIET) + ',' + (r + QUIET) + 'h1v1h-1z';
    }
    var svg = document.createElementNS(SVG, 'svg'), path = document.createElementNS(SVG, 'path');
    svg.setAttribute('viewBox', '0 0 ' + size + ' ' + size);
    svg.setAttribute('class', 'qr');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('data-step', String(step));
    svg.setAttribute('shape-rendering', 'crispEdges');
    path.setAttribute('d', d);
    path.setAttribute('fill', '#000');
    svg.appendChild(path);
    box.replaceChildren(svg);
  }
  function tick() {
    var now = serverNow(), step = codes.stepAt(now);
    left.textContent = live.left.replace('{seconds}', String(Math.ceil(((step + 1) * codes.LIVE_STEP * 1000 - now) / 1000)));
    if (step === shown || drawing) return;
    if (!subtle) { if (navigator.onLine !== false) location.reload(); return; }
    drawing = true;
    codes.liveCode(live.url, live.ticket, live.key, now, subtle).then(function (text) {
      draw(text, step);
      shown = step;
    }).catch(function () { /* tried again at the next tick */ }).then(function () { drawing = false; });
  }
  tick();
  setInterval(tick, 500);
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'visible') tick(); });
})(typeof checkinCodes === 'object' ? checkinCodes : null);
