/* The browser's position, asked only where an event's location check needs it (and only when the person acts):
   - the member's self check-in (self_checkin.html, form[data-location]): on "check in", the position (or why there
     is none: "denied", "unavailable") goes into the form's hidden fields, then the form is sent;
   - the organiser's check-in settings (checkin_manage.html, button#use-position): "use my current position" fills
     in the venue's latitude and longitude. */
(function () {
  'use strict';
  var OPTIONS = {enableHighAccuracy: true, timeout: 15000, maximumAge: 30000};
  function locate(done, failed) {
    if (!navigator.geolocation) { failed('unavailable'); return; }
    navigator.geolocation.getCurrentPosition(done, function (error) {
      failed(error && error.code === 1 ? 'denied' : 'unavailable');  // 1: PERMISSION_DENIED
    }, OPTIONS);
  }
  function round(value, digits) { var f = Math.pow(10, digits); return String(Math.round(value * f) / f); }

  var form = document.getElementById('self-checkin-form');
  if (form && form.hasAttribute('data-location')) {
    var sending = false, button = form.querySelector('button[type=submit]');
    form.addEventListener('submit', function (event) {
      if (sending) return;  // the position is in: let the form go
      event.preventDefault();
      button.disabled = true;
      button.textContent = form.getAttribute('data-locating');
      function send() { sending = true; form.submit(); }
      locate(function (position) {
        form.elements.lat.value = round(position.coords.latitude, 6);
        form.elements.lng.value = round(position.coords.longitude, 6);
        form.elements.accuracy.value = round(position.coords.accuracy || 0, 0);
        send();
      }, function (reason) {
        form.elements.location_error.value = reason;
        send();
      });
    });
  }

  var use = document.getElementById('use-position');
  if (use) {
    var status = document.getElementById('position-status');
    use.hidden = false;
    use.addEventListener('click', function () {
      status.textContent = use.getAttribute('data-locating');
      locate(function (position) {
        document.getElementById('f-venue_lat').value = round(position.coords.latitude, 6);
        document.getElementById('f-venue_lng').value = round(position.coords.longitude, 6);
        status.textContent = use.getAttribute('data-got').replace('{accuracy}', Math.round(position.coords.accuracy || 0));
      }, function () {
        status.textContent = use.getAttribute('data-failed');
      });
    });
  }
})();
