/* An event's page (event_page.html): copy the share link. */
(function () {
  var button = document.getElementById('copy-link');
  var input = document.getElementById('share-url');
  var status = document.getElementById('copy-status');
  if (!button || !input) return;
  button.hidden = false;
  function fallback() {
    input.focus();
    input.select();
    input.setSelectionRange(0, input.value.length);
    var done = false;
    try { done = document.execCommand('copy'); } catch (e) { done = false; }
    status.textContent = button.getAttribute(done ? 'data-copied' : 'data-failed');
  }
  button.addEventListener('click', function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () {
        status.textContent = button.getAttribute('data-copied');
      }, fallback);
    } else {
      fallback();
    }
  });
})();
