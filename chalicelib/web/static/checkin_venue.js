/* The venue screen (checkin_venue.html): refreshes the rotating self check-in code on the server's clock. */
(function () {
  var box = document.getElementById('venue-qr');
  var left = document.getElementById('venue-left');
  var leftLine = document.getElementById('venue-left-line');
  var problem = document.getElementById('venue-problem');
  // The server's clock decides which code is current; the screen's clock may be off by minutes.
  var skew = Number(box.getAttribute('data-server-now')) - Date.now();
  var expires = Date.parse(box.getAttribute('data-expires-at'));
  var retryAt = 0, busy = false, stopped = false;
  function serverNow() { return Date.now() + skew; }
  function checked(response) {
    if (response.status === 409) { throw 'off'; }
    if (response.status === 401 || response.status === 403) { throw 'signed_out'; }
    if (!response.ok) { throw response.status; }
    return response;
  }
  function refresh() {
    busy = true;
    // The JSON says how long the new code lasts; the SVG (drawn server-side) is the code itself.
    fetch(box.getAttribute('data-code-url'), {credentials: 'same-origin', cache: 'no-store', headers: {Accept: 'application/json'}})
      .then(checked).then(function (r) { return r.json(); })
      .then(function (code) {
        return fetch(box.getAttribute('data-svg-url'), {credentials: 'same-origin', cache: 'no-store'})
          .then(checked).then(function (r) { return r.text(); })
          .then(function (svg) {
            box.innerHTML = svg;
            expires = Date.parse(code.expires_at);
            problem.hidden = true;
            leftLine.hidden = false;
            retryAt = serverNow() + 1000;  // at most one refresh a second, however far off the clocks are
          });
      })
      .catch(function (reason) {
        if (reason === 'off' || reason === 'signed_out') {
          stopped = true; box.hidden = true; leftLine.hidden = true;
          document.getElementById(reason === 'off' ? 'venue-off' : 'venue-signed-out').hidden = false;
          return;
        }
        // The code on screen is still accepted for one more step: keep it up and try again shortly.
        problem.hidden = false; leftLine.hidden = true;
        retryAt = serverNow() + 3000;
      })
      .then(function () { busy = false; });
  }
  function tick() {
    if (stopped) { return; }
    var seconds = Math.max(0, Math.ceil((expires - serverNow()) / 1000));
    left.textContent = seconds;
    if (!busy && seconds === 0 && serverNow() >= retryAt) { refresh(); }
  }
  setInterval(tick, 250);
  // A screen left alone would dim and lock; the lock is dropped by the browser whenever the tab is hidden.
  function keepAwake() {
    if (navigator.wakeLock && document.visibilityState === 'visible') {
      navigator.wakeLock.request('screen').catch(function () {});
    }
  }
  // Background tabs slow their timers down: catch up as soon as the screen is shown again.
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') { keepAwake(); tick(); }
  });
  keepAwake();
  var full = document.getElementById('venue-full');
  if (document.documentElement.requestFullscreen) {
    full.hidden = false;
    full.addEventListener('click', function () { document.documentElement.requestFullscreen().catch(function () {}); });
  }
})();
