/* The scanning station (checkin_station.html): scans, verifies tickets offline, queues and uploads check-ins. Its
   settings and words come from the page's station-config JSON block.

   The rules that need no page come first, as `checkinStation`: reading a scanned code as chalicelib.domain.checkin
   does, the ticket digest of the offline list (Web Crypto's SHA-256, replaced tickets' digests included), look-ups in
   that list, the upload queue, the lines a verdict shows, the order of verdicts (scanBoard: the big one is always the
   latest scan's) and handheld-scanner bursts typed anywhere on the page (burstDetector). Node loads them for tests/js/checkin_station.test.js (`module.exports`); in a browser the
   page part below runs with them. */
var checkinStation = (function () {
  'use strict';
  var MAX_CODE = 512, BATCH = 200, LOOKUP_LIMIT = 20;

  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  // The local time of day of an ISO time, as "08:05" ('' for anything else).
  function hhmm(at) { var d = new Date(at); return isNaN(d) ? '' : pad(d.getHours()) + ':' + pad(d.getMinutes()); }
  // With seconds ("08:05:09"): scans at the desk come seconds apart.
  function hhmmss(at) { var d = new Date(at); return isNaN(d) ? '' : hhmm(at) + ':' + pad(d.getSeconds()); }
  function hex(bytes) {
    var out = '';
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }
  function normaliseStaffNo(text) {
    return String(text).normalize('NFKC').replace(/\s/g, '').toUpperCase();
  }

  // ---- codes and digests, as chalicelib.domain.checkin reads them (tests/js/checkin_codes.json holds both) ----
  function ticketFromCode(code) {
    var text = String(code).trim().toLowerCase();
    if (!text || text.length > MAX_CODE) return null;
    var at = text.lastIndexOf('/t/');
    if (at >= 0) text = text.slice(at + 3).split(/[?#/]/)[0];
    return /^[a-z2-7]{26}$/.test(text) ? text : null;
  }
  // Browsers give Web Crypto (crypto.subtle) to secure contexts only: https, and http on localhost or 127.0.0.1.
  // Elsewhere `subtle` is missing and the digest is refused with an error named 'NoWebCrypto'.
  function sha256(text, subtle) {
    if (!subtle) {
      var error = new Error('SHA-256 needs Web Crypto (crypto.subtle): open the page over https');
      error.name = 'NoWebCrypto';
      return Promise.reject(error);
    }
    return subtle.digest('SHA-256', new TextEncoder().encode(text)).then(function (buffer) {
      return hex(new Uint8Array(buffer));
    });
  }
  // What the offline list holds for a scanned code's ticket (ticket_digest): null for a code that is not a ticket.
  function digestOf(code, subtle) {
    var ticket = ticketFromCode(code);
    return ticket ? sha256(ticket, subtle).then(function (full) { return full.slice(0, 32); }) : Promise.resolve(null);
  }

  // ---- the offline list and the queue ----
  // Digest -> the list's entry; a replaced ticket's digest (list.revoked) -> {digest, revoked: true}.
  function indexByDigest(list) {
    var byDigest = {};
    if (list) {
      (list.revoked || []).forEach(function (digest) { byDigest[digest] = {digest: digest, revoked: true}; });
      list.entries.forEach(function (entry) { byDigest[entry.digest] = entry; });
    }
    return byDigest;
  }
  function entryByStaffNo(list, text) {
    var staffNo = normaliseStaffNo(text);
    return list.entries.filter(function (e) { return e.staff_no === staffNo; })[0] || null;
  }
  function queuedAt(queue, point) { return queue.filter(function (item) { return item.point === point; }); }
  // When the device last saw staffNo checked in at point: in the synced list (with who and where, when it says),
  // else in its own queue (by this station).
  function earlierCheckIn(list, queue, point, staffNo, thisStation) {
    if (list && list.checked_in[staffNo]) {
      return Object.assign({at: list.checked_in[staffNo], by: ''}, (list.checked_in_by || {})[staffNo]);
    }
    for (var i = 0; i < queue.length; i++) {
      if (queue[i].point === point && queue[i].who === staffNo) return {at: queue[i].at, by: thisStation};
    }
    return null;
  }
  // The manual look-up without the network: 工号 prefix or part of the name, at most 20, with when each came in.
  function lookUp(list, queue, point, text, thisStation) {
    if (!list) return [];
    var staffNo = normaliseStaffNo(text);
    return list.entries.filter(function (entry) {
      return entry.staff_no.indexOf(staffNo) === 0 || entry.name.indexOf(text) >= 0;
    }).slice(0, LOOKUP_LIMIT).map(function (entry) {
      var earlier = earlierCheckIn(list, queue, point, entry.staff_no, thisStation);
      return Object.assign({checked_in_at: earlier ? earlier.at : null}, entry);
    });
  }
  // The queue item of a scan admitted offline: the code scanned (or the 工号 looked up) and who it admitted.
  function queueItem(scan, entry, at) {
    var item = {scan_id: scan.scan_id, point: scan.point, at: at, who: entry.staff_no};
    if (scan.code !== undefined) item.code = scan.code; else item.staff_no = entry.staff_no;
    if (scan.confirm_outside_window) item.confirm_outside_window = true;
    return item;
  }
  // The first 200 queued items, and the scans that upload them (POST .../checkin/upload).
  function uploadBatch(queue) {
    var batch = queue.slice(0, BATCH);
    return {batch: batch, scans: batch.map(function (item) {
      var scan = {scan_id: item.scan_id, point: item.point, at: item.at};
      if (item.code !== undefined) scan.code = item.code; else scan.staff_no = item.staff_no;
      if (item.confirm_outside_window) scan.confirm_outside_window = true;
      return scan;
    })};
  }
  // After an upload: the queue without the scans the server answered (a stored queue may have grown meanwhile),
  // how many it did not simply record, and how many it recorded at this point.
  function settleUpload(queue, batch, results, point) {
    var done = {}, conflicts = 0, recordedHere = 0, points = {};
    batch.forEach(function (item) { points[item.scan_id] = item.point; });
    results.forEach(function (result) {
      done[result.scan_id] = true;
      if (result.outcome === 'conflict' || result.outcome === 'refused') conflicts += 1;
      else if (result.outcome === 'recorded' && points[result.scan_id] === point) recordedHere += 1;
    });
    return {queue: queue.filter(function (item) { return !done[item.scan_id]; }), conflicts: conflicts, recordedHere: recordedHere};
  }

  // ---- verdicts in scan order ----
  // At scanner speed answers come back out of order (a slow one, an offline digest). Each scan gets the next
  // number; the big panel always belongs to the latest scan ("checking…" until its own answer comes), and every
  // earlier scan's verdict goes to the list under it, latest scan first, at most `keep` of them.
  function scanBoard(keep) {
    var scans = [], last = 0;  // latest scan first: {seq, at, verdict (null while checking)}
    return {
      // A new scan at `at` (ISO time): its number. The panel now shows it as checking.
      start: function (at) {
        last += 1;
        scans.unshift({seq: last, at: at, verdict: null});
        scans.length = Math.min(scans.length, keep + 1);
        return last;
      },
      // Scan `seq`'s answer. 'panel': it is the latest scan's, shown big; 'list': an earlier scan's, shown in the
      // list; 'gone': a scan too old to be listed any more.
      settle: function (seq, verdict) {
        for (var i = 0; i < scans.length; i++) {
          if (scans[i].seq === seq) { scans[i].verdict = verdict; return i === 0 ? 'panel' : 'list'; }
        }
        return 'gone';
      },
      panel: function () { return scans[0] || null; },
      recent: function () { return scans.slice(1); },
      latest: function () { return last; }
    };
  }

  // ---- scanner bursts ----
  // A handheld scanner is a keyboard that types a whole code in a few milliseconds per key and ends with Enter; a
  // person needs ~100 ms or more between keys. Fed every keydown wherever the focus is, the detector says when a
  // burst ended (its code) and when a new run of keys began (so the page can keep the focused field's value).
  var BURST_GAP_MS = 35, BURST_MIN = 6;
  function burstDetector(gapMs, minLength) {
    var gap = gapMs || BURST_GAP_MS, min = minLength || BURST_MIN, run = '', last = -Infinity;
    return {
      // `key` as KeyboardEvent.key, `time` in ms. Returns {start: true} when a character begins a new run,
      // {code: text} when Enter ends a burst, else null. Shift (upper case) is part of typing; other keys end a run.
      key: function (key, time) {
        if (key === 'Shift') return null;
        var fast = time - last < gap;
        if (key === 'Enter') {
          var code = run;
          run = '';
          last = -Infinity;
          return fast && code.length >= min ? {code: code} : null;
        }
        if (key.length !== 1) { run = ''; last = -Infinity; return null; }
        last = time;
        if (fast && run) { run += key; return null; }
        run = key;
        return {start: true};
      }
    };
  }

  // ---- words ----
  function scopeName(scope, cfg, T) {
    if (!scope) return '';
    return scope === 'series' ? T.scope_series : (cfg.points[scope] || scope);
  }
  // The lines under a verdict's message: who, their unit and scope, and when they came in (or "queued").
  function verdictLines(verdict, cfg, T) {
    var extra = '';
    if (verdict.verdict === 'already' && verdict.check_in) {
      // Staff by name; by 工号 for a check-in recorded before names were kept.
      var by = [verdict.check_in.by_name || verdict.check_in.by, verdict.check_in.station].filter(Boolean).join(' · ');
      extra = fill(T.already_detail, {time: hhmm(verdict.check_in.at), by: by || '–'});
    } else if (verdict.offline && verdict.tone === 'ok') {
      extra = T.queued;
    }
    return {
      name: verdict.name ? verdict.name + (verdict.staff_no ? '（' + verdict.staff_no + '）' : '') : '',
      detail: [verdict.unit_name, scopeName(verdict.scope, cfg, T)].filter(Boolean).join(' · '),
      extra: extra
    };
  }
  // An earlier scan in the list under the panel: time · name（工号） · its verdict's message (or "checking…").
  function recentLine(scan, T) {
    var verdict = scan.verdict;
    if (!verdict) return [hhmmss(scan.at), T.checking].join(' · ');
    var name = verdict.name ? verdict.name + (verdict.staff_no ? '（' + verdict.staff_no + '）' : '') : '';
    return [hhmmss(scan.at), name, verdict.message].filter(Boolean).join(' · ');
  }
  // A look-up result's line: name（工号） · unit · scope [· state] [· arrived at].
  function lookupLine(entry, cfg, T) {
    var parts = [entry.name + '（' + entry.staff_no + '）', entry.unit_name, scopeName(entry.scope, cfg, T)];
    if (entry.state && entry.state !== 'confirmed') parts.push(cfg.states[entry.state] || entry.state);
    if (entry.checked_in_at) parts.push(fill(T.lookup_arrived, {time: hhmm(entry.checked_in_at)}));
    return parts.filter(Boolean).join(' · ');
  }
  // What the sync line says: state is 'uploading', 'online' or 'offline'.
  function syncText(state, queueLength, list, T) {
    if (state === 'uploading') return T.uploading;
    if (state === 'offline') return fill(T.offline, {count: queueLength});
    if (queueLength) return fill(T.online_pending, {count: queueLength});
    if (list && list.synced_at) return fill(T.online, {time: hhmm(list.synced_at)});
    return T.online_unsynced;
  }

  return {
    MAX_CODE: MAX_CODE, BATCH: BATCH, fill: fill, hhmm: hhmm, hex: hex, normaliseStaffNo: normaliseStaffNo,
    ticketFromCode: ticketFromCode, sha256: sha256, digestOf: digestOf, indexByDigest: indexByDigest,
    entryByStaffNo: entryByStaffNo, queuedAt: queuedAt, earlierCheckIn: earlierCheckIn, lookUp: lookUp,
    queueItem: queueItem, uploadBatch: uploadBatch, settleUpload: settleUpload, scopeName: scopeName,
    verdictLines: verdictLines, lookupLine: lookupLine, syncText: syncText,
    scanBoard: scanBoard, burstDetector: burstDetector, BURST_GAP_MS: BURST_GAP_MS, hhmmss: hhmmss,
    recentLine: recentLine
  };
})();

if (typeof module === 'object' && module.exports) module.exports = checkinStation;
else (function (core) {
  'use strict';
  var cfg = JSON.parse(document.getElementById('station-config').textContent);
  var T = cfg.text;
  var API = '/api/events/' + encodeURIComponent(cfg.event_id) + '/checkin';
  var LIST_KEY = 'checkin.list.' + cfg.event_id + '.' + cfg.point;
  // One queue per event: scans made offline at any point of it are uploaded together.
  var QUEUE_KEY = 'checkin.queue.' + cfg.event_id;
  var STATION_KEY = 'checkin.station';
  var REQUEST_MS = 6000, RETRY_MS = 10000, COUNT_MS = 15000, SYNC_MS = 120000, RECENT = 8;
  var fill = core.fill;

  function $(id) { return document.getElementById(id); }
  function load(key) { try { return JSON.parse(localStorage.getItem(key) || 'null'); } catch (e) { return null; } }
  function save(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or private: kept in memory */ } }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    return core.hex(bytes);
  }
  // Read at each scan: missing on a page opened over plain http from another machine (not a secure context).
  function subtle() { return window.crypto && window.crypto.subtle; }

  // ---- state ----
  var list = load(LIST_KEY), byDigest = core.indexByDigest(list), queue = load(QUEUE_KEY) || [];
  var online = true, uploading = false, syncing = false;
  var serverCount = null, board = core.scanBoard(RECENT);
  var stationInput = $('station-name'), scanInput = $('scan-input');
  if (list) serverCount = Object.keys(list.checked_in).length;  // until the first answer from the server
  // Each device keeps its own name, recorded with its check-ins.
  stationInput.value = load(STATION_KEY) || (T.device_default + '-' + newId().replace(/-/g, '').slice(0, 4));
  save(STATION_KEY, stationInput.value);
  stationInput.addEventListener('change', function () { save(STATION_KEY, stationInput.value.trim().slice(0, 40)); });
  function stationName() { return stationInput.value.trim().slice(0, 40) || null; }

  // A failed request says the network is down even when the browser thinks otherwise, and the other way round.
  function isOnline() { return online && navigator.onLine !== false; }
  function renderSync() {
    var element = $('sync-state'), state = uploading ? 'uploading' : (isOnline() ? 'online' : 'offline');
    element.setAttribute('data-state', state);
    element.textContent = core.syncText(state, queue.length, list, T);
    $('queue-count').textContent = String(queue.length);
  }
  function renderCounts() {
    $('count-expected').textContent = list ? String(list.entries.length) : '–';
    $('count-in').textContent = serverCount === null ? '–' : String(serverCount + core.queuedAt(queue, cfg.point).length);
  }
  function note(text) { $('note').textContent = text || ''; }
  function network(ok) {
    var was = online;
    online = ok;
    renderSync();
    if (ok && !was) upload();
  }

  // Resolves {status, ok, data} for any HTTP answer; rejects only when the network failed or timed out.
  function request(method, url, body) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_MS) : null;
    var options = {method: method, credentials: 'same-origin', cache: 'no-store', headers: {'Accept': 'application/json'}};
    if (controller) options.signal = controller.signal;
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      clearTimeout(timer);
      network(true);
      return response.json().catch(function () { return null; }).then(function (data) {
        return {status: response.status, ok: response.ok, data: data};
      });
    }, function (error) {
      clearTimeout(timer);
      network(false);
      throw error;
    });
  }
  function problem(answer) {
    return (answer.data && answer.data.error && answer.data.error.message) || T.failed;
  }

  // ---- feedback ----
  var audio = null;
  function beep(tone) {
    var plan = {ok: [[1046, 0.12]], warn: [[660, 0.1], [660, 0.1]], bad: [[196, 0.45]]}[tone] || [];
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (Context && plan.length) {
        audio = audio || new Context();
        if (audio.state === 'suspended') audio.resume();
        var start = audio.currentTime;
        plan.forEach(function (step) {
          var oscillator = audio.createOscillator(), gain = audio.createGain();
          oscillator.frequency.value = step[0];
          gain.gain.value = 0.2;
          oscillator.connect(gain);
          gain.connect(audio.destination);
          oscillator.start(start);
          oscillator.stop(start + step[1]);
          start += step[1] + 0.07;
        });
      }
    } catch (e) { /* no sound on this device */ }
    if (navigator.vibrate) navigator.vibrate({ok: 80, warn: [80, 60, 80], bad: 400}[tone] || 0);
  }
  // The panel shows the latest scan (data-seq: its number), "checking…" until its answer; the list the earlier ones.
  function renderPanel() {
    var panel = $('verdict'), scan = board.panel(), verdict = scan.verdict;
    panel.setAttribute('data-seq', String(scan.seq));
    if (!verdict) {
      panel.setAttribute('data-tone', 'busy');
      panel.removeAttribute('data-verdict');
      $('verdict-message').textContent = T.checking;
      $('verdict-name').textContent = $('verdict-detail').textContent = $('verdict-extra').textContent = '';
      return;
    }
    panel.setAttribute('data-tone', verdict.tone);
    panel.setAttribute('data-verdict', verdict.verdict);
    panel.setAttribute('data-offline', verdict.offline ? 'true' : 'false');
    var lines = core.verdictLines(verdict, cfg, T);
    $('verdict-message').textContent = verdict.message;
    $('verdict-name').textContent = lines.name;
    $('verdict-detail').textContent = lines.detail;
    $('verdict-extra').textContent = lines.extra;
  }
  function renderRecent() {
    var recent = $('recent-verdicts');
    recent.textContent = '';
    board.recent().forEach(function (scan) {
      var li = document.createElement('li');
      li.setAttribute('data-seq', String(scan.seq));
      li.setAttribute('data-tone', scan.verdict ? scan.verdict.tone : 'busy');
      if (scan.verdict) li.setAttribute('data-verdict', scan.verdict.verdict);
      li.textContent = core.recentLine(scan, T);
      recent.appendChild(li);
    });
    recent.hidden = !recent.firstChild;
  }
  // A new scan: its number, for show().
  function startScan() {
    var seq = board.start(new Date().toISOString());
    renderPanel();
    renderRecent();
    return seq;
  }
  // Scan `seq`'s verdict: big if it is the latest scan's, else in the list (a late red one still sounds).
  function show(seq, verdict) {
    var where = board.settle(seq, verdict);
    if (where === 'gone') return;
    if (where === 'panel') renderPanel(); else renderRecent();
    if (where === 'panel' || verdict.tone !== 'ok') beep(verdict.tone);
    if (where === 'panel') focusScan();
  }

  // ---- scanning ----
  function remember(verdict) {
    // Online verdicts keep the local list current, so that an offline scan later knows who is already in.
    if (!list || !verdict.staff_no || !verdict.check_in) return;
    if (verdict.verdict !== 'admitted' && verdict.verdict !== 'already') return;
    if (!list.checked_in[verdict.staff_no]) {
      var earlier = verdict.check_in;
      list.checked_in[verdict.staff_no] = earlier.at;
      list.checked_in_by = list.checked_in_by || {};
      list.checked_in_by[verdict.staff_no] = {by: earlier.by, by_name: earlier.by_name || earlier.by, station: earlier.station};
      save(LIST_KEY, list);
    }
  }
  function submit(what) {
    var scan = {point: cfg.point, scan_id: newId(), station: stationName()}, seq = startScan();
    Object.keys(what).forEach(function (key) { scan[key] = what[key]; });
    if (cfg.confirm_outside_window) scan.confirm_outside_window = true;  // the organiser confirmed (banner)
    if (!isOnline()) { verifyOffline(scan, seq); return; }
    request('POST', API, scan).then(function (answer) {
      if (!answer.ok || !answer.data) {
        show(seq, {tone: 'bad', verdict: 'error', message: problem(answer)});
        return;
      }
      if (answer.data.verdict === 'admitted' && !answer.data.replayed && serverCount !== null) serverCount += 1;
      remember(answer.data);
      renderCounts();
      show(seq, answer.data);
    }, function () {
      // The scan may have reached the server before the network failed: its scan id makes the upload a replay.
      verifyOffline(scan, seq);
    });
  }
  function verifyOffline(scan, seq) {
    if (!list) {
      show(seq, {tone: 'bad', verdict: 'unknown', message: T.no_list, offline: true});
      return;
    }
    var found = scan.code !== undefined
      ? core.digestOf(scan.code, subtle()).then(function (digest) { return digest ? byDigest[digest] || null : null; })
      : Promise.resolve(core.entryByStaffNo(list, scan.staff_no));
    found.then(function (entry) {
      if (!entry) {
        show(seq, scan.code !== undefined
          ? {tone: 'bad', verdict: 'unknown', message: T.offline_unknown, offline: true}
          : {tone: 'bad', verdict: 'not_registered', message: T.offline_not_registered, offline: true});
        return;
      }
      if (entry.revoked) {  // a replaced code: the member has a new one
        show(seq, {tone: 'bad', verdict: 'revoked', message: T.revoked, offline: true});
        return;
      }
      if (!list.live_tickets || scan.code === undefined) { admitOffline(seq, scan, entry); return; }
      // Live tickets: only the code of the current step admits (checkin_codes.js judges it as the server does), on
      // the server's clock as of the last sync.
      var now = Date.now() + (list.clock_offset || 0);
      return checkinCodes.liveVerdict(entry.live_key || '', core.ticketFromCode(scan.code), scan.code, now, subtle()).then(function (stale) {
        if (!stale) { admitOffline(seq, scan, entry); return; }
        if (stale === 'unknown') { show(seq, {tone: 'bad', verdict: stale, message: T.offline_unknown, offline: true}); return; }
        // An old live code is the member's own (a screenshot): named, as online, so that staff can ask for the live one.
        show(seq, {tone: 'bad', verdict: stale, message: T.ticket_stale, offline: true, name: entry.name,
                   staff_no: entry.staff_no, unit_name: entry.unit_name, scope: entry.scope});
      }, function () { show(seq, {tone: 'bad', verdict: 'unknown', message: T.offline_insecure, offline: true}); });
    }, function () {
      // No Web Crypto on this page (plain http from another machine): tickets cannot be checked offline here.
      show(seq, {tone: 'bad', verdict: 'unknown', message: T.offline_insecure, offline: true});
    });
  }
  function admitOffline(seq, scan, entry) {
    var who = {name: entry.name, staff_no: entry.staff_no, unit_name: entry.unit_name, scope: entry.scope, offline: true};
    var earlier = core.earlierCheckIn(list, queue, cfg.point, entry.staff_no, T.this_station);
    if (earlier) {
      show(seq, Object.assign({tone: 'warn', verdict: 'already', message: T.offline_already, check_in: earlier}, who));
      return;
    }
    queue.push(core.queueItem(scan, entry, new Date().toISOString()));
    save(QUEUE_KEY, queue);
    renderSync();
    renderCounts();
    show(seq, Object.assign({tone: 'ok', verdict: 'admitted', message: T.offline_admitted}, who));
  }
  function focusScan() {
    setTimeout(function () { if (!document.activeElement || document.activeElement === document.body) scanInput.focus(); }, 0);
  }
  function scanCode(text) {
    var code = text.trim();
    if (!code) return;
    if (code.length > core.MAX_CODE) { show(startScan(), {tone: 'bad', verdict: 'unknown', message: T.unknown}); return; }
    submit({code: code});
  }
  $('scan-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var code = scanInput.value;
    scanInput.value = '';
    scanInput.focus();
    scanCode(code);
  });
  // A scanner burst while something else has focus (the look-up, the device name, nothing) is a scan too: taken
  // back out of the field it was typed into, whose value is restored, and sent. The scan input's own keys are left
  // to its form, and people typing in the look-up (slower than a scanner) are left alone.
  var bursts = core.burstDetector(), burstField = null, burstBefore = '';
  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    var target = event.target, found = bursts.key(event.key, event.timeStamp || Date.now());
    if (found && found.start) {
      var field = target !== scanInput && target && typeof target.value === 'string' && target.tagName !== 'SELECT';
      burstField = field ? target : null;
      burstBefore = field ? target.value : '';
      return;
    }
    if (!found || !found.code || target === scanInput) return;
    event.preventDefault();
    if (burstField) burstField.value = burstBefore;
    burstField = null;
    scanInput.value = '';
    scanInput.focus();
    scanCode(found.code);
  }, true);
  // A handheld scanner types into whatever has focus: keep the scan input focused unless another control is used.
  document.addEventListener('click', function (event) {
    if (!event.target.closest('input,select,textarea,button,a,label')) scanInput.focus();
  });
  scanInput.addEventListener('blur', focusScan);

  // ---- manual look-up ----
  function listMatches(entries) {
    var results = $('lookup-results');
    results.textContent = '';
    if (!entries.length) {
      var none = document.createElement('li');
      none.textContent = T.lookup_none;
      results.appendChild(none);
      return;
    }
    entries.forEach(function (entry) {
      var li = document.createElement('li'), text = document.createElement('span'), button = document.createElement('button');
      text.textContent = core.lookupLine(entry, cfg, T);
      button.type = 'button';
      button.className = 'button';
      button.textContent = T.lookup_admit;
      button.addEventListener('click', function () {
        submit({staff_no: entry.staff_no});
        scanInput.focus();
      });
      li.appendChild(text);
      li.appendChild(button);
      results.appendChild(li);
    });
  }
  function lookUpOffline(text) { listMatches(core.lookUp(list, queue, cfg.point, text, T.this_station)); }
  $('lookup-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = $('lookup-input').value.trim();
    if (!text) return;
    if (!isOnline()) { lookUpOffline(text); return; }
    request('GET', API + '/lookup?point=' + encodeURIComponent(cfg.point) + '&q=' + encodeURIComponent(text)).then(function (answer) {
      if (answer.ok && answer.data) listMatches(answer.data.entries);
      else note(problem(answer));
    }, function () { lookUpOffline(text); });
  });

  // ---- the list, counts and uploads ----
  function sync() {
    if (syncing) return;
    syncing = true;
    request('GET', API + '/list?point=' + encodeURIComponent(cfg.point)).then(function (answer) {
      syncing = false;
      if (!answer.ok || !answer.data) { note(problem(answer)); return; }
      list = answer.data;
      // How far the server's clock is ahead of this device's: live tickets are judged on the server's time.
      if (window.checkinCodes) list.clock_offset = checkinCodes.clockOffset(list.synced_at, Date.now());
      byDigest = core.indexByDigest(list);
      save(LIST_KEY, list);
      serverCount = Object.keys(list.checked_in).length;
      renderCounts();
      renderSync();
    }, function () { syncing = false; });
  }
  function pollCount() {
    request('GET', API + '/count?point=' + encodeURIComponent(cfg.point)).then(function (answer) {
      if (answer.ok && answer.data) { serverCount = answer.data.checked_in; renderCounts(); }
    }, function () { /* offline: the state shows it */ });
  }
  function upload() {
    if (uploading || !queue.length || navigator.onLine === false) return;
    uploading = true;
    renderSync();
    var batch = core.uploadBatch(queue);
    request('POST', API + '/upload', {station: stationName(), scans: batch.scans}).then(function (answer) {
      uploading = false;
      if (answer.status !== 200 || !answer.data) {
        note(fill(T.upload_failed, {message: problem(answer)}));
        renderSync();
        return;
      }
      var settled = core.settleUpload(load(QUEUE_KEY) || queue, batch.batch, answer.data.results, cfg.point);
      queue = settled.queue;
      save(QUEUE_KEY, queue);
      if (serverCount !== null) serverCount += settled.recordedHere;
      note(fill(T.uploaded, {count: answer.data.results.length, conflicts: settled.conflicts}));
      renderSync();
      renderCounts();
      if (queue.length) upload(); else sync();
    }, function () {
      uploading = false;
      renderSync();
    });
  }
  // The browser's online/offline events are hints only (they do not fire on every network loss): failed requests
  // and the retry timer decide the state.
  window.addEventListener('online', function () { upload(); pollCount(); });
  window.addEventListener('offline', function () { network(false); });
  setInterval(function () {
    if (queue.length) upload();
    else if (!isOnline()) pollCount();
  }, RETRY_MS);
  setInterval(pollCount, COUNT_MS);
  setInterval(sync, SYNC_MS);

  // ---- camera and WeChat's scanner ----
  // checkin_camera.js (the browser's detector or a decoder in a worker) and checkin_wechat.js hand each code they
  // read here, to the same checks as a typed or scanned code.
  window.checkinStationScan = scanCode;

  renderSync();
  renderCounts();
  sync();
  if (queue.length) upload();
  scanInput.focus();
})(checkinStation);
