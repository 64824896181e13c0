/* A member's ticket (ticket_page.html). */
/* Keep the screen on while the code is shown (where the browser allows it). */
if (navigator.wakeLock) { navigator.wakeLock.request('screen').catch(function () {}); }
