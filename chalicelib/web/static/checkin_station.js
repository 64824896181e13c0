/* The scanning station (checkin_station.html): scans, verifies tickets offline, queues and uploads check-ins. Its settings and words come from the page's station-config JSON block. */
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('station-config').textContent);
  var T = cfg.text;
  var API = '/api/events/' + encodeURIComponent(cfg.event_id) + '/checkin';
  var LIST_KEY = 'checkin.list.' + cfg.event_id + '.' + cfg.point;
  // One queue per event: scans made offline at any point of it are uploaded together.
  var QUEUE_KEY = 'checkin.queue.' + cfg.event_id;
  var STATION_KEY = 'checkin.station';
  var REQUEST_MS = 6000, RETRY_MS = 10000, COUNT_MS = 15000, SYNC_MS = 120000, BATCH = 200, MAX_CODE = 512;

  function $(id) { return document.getElementById(id); }
  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function hhmm(at) { var d = new Date(at); return isNaN(d) ? '' : pad(d.getHours()) + ':' + pad(d.getMinutes()); }
  function load(key) { try { return JSON.parse(localStorage.getItem(key) || 'null'); } catch (e) { return null; } }
  function save(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or private: kept in memory */ } }
  function hex(bytes) {
    var out = '';
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    return hex(bytes);
  }
  function normaliseStaffNo(text) {
    return String(text).normalize('NFKC').replace(/\s/g, '').toUpperCase();
  }

  // ---- codes and digests, as chalicelib.domain.checkin reads them ----
  function ticketFromCode(code) {
    var text = String(code).trim().toLowerCase();
    if (!text || text.length > MAX_CODE) return null;
    var at = text.lastIndexOf('/t/');
    if (at >= 0) text = text.slice(at + 3).split(/[?#/]/)[0];
    return /^[a-z2-7]{26}$/.test(text) ? text : null;
  }
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  function ror(x, n) { return (x >>> n) | (x << (32 - n)); }
  // SHA-256 in plain script, for insecure origins where crypto.subtle is missing (tickets are short ASCII).
  function sha256Fallback(text) {
    var length = text.length, size = ((length + 9 + 63) >> 6) << 6, m = new Uint8Array(size), w = new Array(64), i;
    for (i = 0; i < length; i++) m[i] = text.charCodeAt(i) & 255;
    m[length] = 0x80;
    var bits = length * 8;
    m[size - 4] = (bits >>> 24) & 255; m[size - 3] = (bits >>> 16) & 255; m[size - 2] = (bits >>> 8) & 255; m[size - 1] = bits & 255;
    var H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    for (var offset = 0; offset < size; offset += 64) {
      for (i = 0; i < 16; i++) {
        var j = offset + 4 * i;
        w[i] = (m[j] << 24) | (m[j + 1] << 16) | (m[j + 2] << 8) | m[j + 3];
      }
      for (i = 16; i < 64; i++) {
        var x = w[i - 15], y = w[i - 2];
        w[i] = (w[i - 16] + (ror(x, 7) ^ ror(x, 18) ^ (x >>> 3)) + w[i - 7] + (ror(y, 17) ^ ror(y, 19) ^ (y >>> 10))) | 0;
      }
      var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
      for (i = 0; i < 64; i++) {
        var t1 = (h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
      H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
    }
    return H.map(function (v) { return ('0000000' + (v >>> 0).toString(16)).slice(-8); }).join('');
  }
  function sha256(text) {
    if (window.crypto && crypto.subtle && window.TextEncoder) {
      return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then(function (buffer) {
        return hex(new Uint8Array(buffer));
      });
    }
    return Promise.resolve(sha256Fallback(text));
  }
  function digestOf(code) {
    var ticket = ticketFromCode(code);
    return ticket ? sha256(ticket).then(function (full) { return full.slice(0, 32); }) : Promise.resolve(null);
  }

  // ---- state ----
  var list = load(LIST_KEY), byDigest = {}, queue = load(QUEUE_KEY) || [];
  var online = true, uploading = false, syncing = false;
  var serverCount = null, seq = 0;
  var stationInput = $('station-name'), scanInput = $('scan-input');
  function index() {
    byDigest = {};
    if (list) list.entries.forEach(function (entry) { byDigest[entry.digest] = entry; });
  }
  index();
  if (list) serverCount = Object.keys(list.checked_in).length;  // until the first answer from the server
  // Each device keeps its own name, recorded with its check-ins.
  stationInput.value = load(STATION_KEY) || (T.device_default + '-' + newId().replace(/-/g, '').slice(0, 4));
  save(STATION_KEY, stationInput.value);
  stationInput.addEventListener('change', function () { save(STATION_KEY, stationInput.value.trim().slice(0, 40)); });
  function stationName() { return stationInput.value.trim().slice(0, 40) || null; }
  function queuedHere() { return queue.filter(function (item) { return item.point === cfg.point; }); }

  // A failed request says the network is down even when the browser thinks otherwise, and the other way round.
  function isOnline() { return online && navigator.onLine !== false; }
  function renderSync() {
    var element = $('sync-state'), state = uploading ? 'uploading' : (isOnline() ? 'online' : 'offline');
    element.setAttribute('data-state', state);
    if (state === 'uploading') element.textContent = T.uploading;
    else if (state === 'offline') element.textContent = fill(T.offline, {count: queue.length});
    else if (queue.length) element.textContent = fill(T.online_pending, {count: queue.length});
    else if (list && list.synced_at) element.textContent = fill(T.online, {time: hhmm(list.synced_at)});
    else element.textContent = T.online_unsynced;
    $('queue-count').textContent = String(queue.length);
  }
  function renderCounts() {
    $('count-expected').textContent = list ? String(list.entries.length) : '–';
    $('count-in').textContent = serverCount === null ? '–' : String(serverCount + queuedHere().length);
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
  function scopeName(scope) {
    if (!scope) return '';
    return scope === 'series' ? T.scope_series : (cfg.points[scope] || scope);
  }
  function show(verdict) {
    var panel = $('verdict');
    seq += 1;
    panel.setAttribute('data-tone', verdict.tone);
    panel.setAttribute('data-verdict', verdict.verdict);
    panel.setAttribute('data-offline', verdict.offline ? 'true' : 'false');
    panel.setAttribute('data-seq', String(seq));
    $('verdict-message').textContent = verdict.message;
    $('verdict-name').textContent = verdict.name ? verdict.name + (verdict.staff_no ? '（' + verdict.staff_no + '）' : '') : '';
    $('verdict-detail').textContent = [verdict.unit_name, scopeName(verdict.scope)].filter(Boolean).join(' · ');
    var extra = '';
    if (verdict.verdict === 'already' && verdict.check_in) {
      var by = [verdict.check_in.by, verdict.check_in.station].filter(Boolean).join(' · ');
      extra = fill(T.already_detail, {time: hhmm(verdict.check_in.at), by: by || '–'});
    } else if (verdict.offline && verdict.tone === 'ok') {
      extra = T.queued;
    }
    $('verdict-extra').textContent = extra;
    beep(verdict.tone);
    focusScan();
  }
  function busy() {
    var panel = $('verdict');
    panel.setAttribute('data-tone', 'busy');
    $('verdict-message').textContent = T.checking;
    $('verdict-name').textContent = $('verdict-detail').textContent = $('verdict-extra').textContent = '';
  }

  // ---- scanning ----
  function remember(verdict) {
    // Online verdicts keep the local list current, so that an offline scan later knows who is already in.
    if (!list || !verdict.staff_no || !verdict.check_in) return;
    if (verdict.verdict !== 'admitted' && verdict.verdict !== 'already') return;
    if (!list.checked_in[verdict.staff_no]) {
      list.checked_in[verdict.staff_no] = verdict.check_in.at;
      save(LIST_KEY, list);
    }
  }
  function submit(what) {
    var scan = {point: cfg.point, scan_id: newId(), station: stationName()};
    Object.keys(what).forEach(function (key) { scan[key] = what[key]; });
    if (!isOnline()) { verifyOffline(scan); return; }
    busy();
    request('POST', API, scan).then(function (answer) {
      if (!answer.ok || !answer.data) {
        show({tone: 'bad', verdict: 'error', message: problem(answer)});
        return;
      }
      if (answer.data.verdict === 'admitted' && !answer.data.replayed && serverCount !== null) serverCount += 1;
      remember(answer.data);
      renderCounts();
      show(answer.data);
    }, function () {
      // The scan may have reached the server before the network failed: its scan id makes the upload a replay.
      verifyOffline(scan);
    });
  }
  function earlierCheckIn(staffNo) {
    if (list && list.checked_in[staffNo]) return {at: list.checked_in[staffNo], by: ''};
    for (var i = 0; i < queue.length; i++) {
      if (queue[i].point === cfg.point && queue[i].who === staffNo) return {at: queue[i].at, by: T.this_station};
    }
    return null;
  }
  function verifyOffline(scan) {
    if (!list) {
      show({tone: 'bad', verdict: 'unknown', message: T.no_list, offline: true});
      return;
    }
    var found = scan.code !== undefined
      ? digestOf(scan.code).then(function (digest) { return digest ? byDigest[digest] || null : null; })
      : Promise.resolve(list.entries.filter(function (e) { return e.staff_no === normaliseStaffNo(scan.staff_no); })[0] || null);
    found.then(function (entry) {
      if (!entry) {
        show(scan.code !== undefined
          ? {tone: 'bad', verdict: 'unknown', message: T.offline_unknown, offline: true}
          : {tone: 'bad', verdict: 'not_registered', message: T.offline_not_registered, offline: true});
        return;
      }
      var who = {name: entry.name, staff_no: entry.staff_no, unit_name: entry.unit_name, scope: entry.scope, offline: true};
      var earlier = earlierCheckIn(entry.staff_no);
      if (earlier) {
        show(Object.assign({tone: 'warn', verdict: 'already', message: T.offline_already, check_in: earlier}, who));
        return;
      }
      var item = {scan_id: scan.scan_id, point: scan.point, at: new Date().toISOString(), who: entry.staff_no};
      if (scan.code !== undefined) item.code = scan.code; else item.staff_no = entry.staff_no;
      queue.push(item);
      save(QUEUE_KEY, queue);
      renderSync();
      renderCounts();
      show(Object.assign({tone: 'ok', verdict: 'admitted', message: T.offline_admitted}, who));
    });
  }
  function focusScan() {
    setTimeout(function () { if (!document.activeElement || document.activeElement === document.body) scanInput.focus(); }, 0);
  }
  $('scan-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var code = scanInput.value.trim();
    scanInput.value = '';
    scanInput.focus();
    if (!code) return;
    if (code.length > MAX_CODE) { show({tone: 'bad', verdict: 'unknown', message: T.unknown}); return; }
    submit({code: code});
  });
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
      var parts = [entry.name + '（' + entry.staff_no + '）', entry.unit_name, scopeName(entry.scope)];
      if (entry.state && entry.state !== 'confirmed') parts.push(cfg.states[entry.state] || entry.state);
      if (entry.checked_in_at) parts.push(fill(T.lookup_arrived, {time: hhmm(entry.checked_in_at)}));
      text.textContent = parts.filter(Boolean).join(' · ');
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
  function lookUpOffline(text) {
    if (!list) { listMatches([]); return; }
    var staffNo = normaliseStaffNo(text);
    listMatches(list.entries.filter(function (entry) {
      return entry.staff_no.indexOf(staffNo) === 0 || entry.name.indexOf(text) >= 0;
    }).slice(0, 20).map(function (entry) {
      var earlier = earlierCheckIn(entry.staff_no);
      return Object.assign({checked_in_at: earlier ? earlier.at : null}, entry);
    }));
  }
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
      index();
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
    var batch = queue.slice(0, BATCH);
    var scans = batch.map(function (item) {
      var scan = {scan_id: item.scan_id, point: item.point, at: item.at};
      if (item.code !== undefined) scan.code = item.code; else scan.staff_no = item.staff_no;
      return scan;
    });
    request('POST', API + '/upload', {station: stationName(), scans: scans}).then(function (answer) {
      uploading = false;
      if (answer.status !== 200 || !answer.data) {
        note(fill(T.upload_failed, {message: problem(answer)}));
        renderSync();
        return;
      }
      var done = {}, conflicts = 0, recordedHere = 0, points = {};
      batch.forEach(function (item) { points[item.scan_id] = item.point; });
      answer.data.results.forEach(function (result) {
        done[result.scan_id] = true;
        if (result.outcome === 'conflict' || result.outcome === 'refused') conflicts += 1;
        else if (result.outcome === 'recorded' && points[result.scan_id] === cfg.point) recordedHere += 1;
      });
      queue = (load(QUEUE_KEY) || queue).filter(function (item) { return !done[item.scan_id]; });
      save(QUEUE_KEY, queue);
      if (serverCount !== null) serverCount += recordedHere;
      note(fill(T.uploaded, {count: answer.data.results.length, conflicts: conflicts}));
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

  // ---- camera ----
  var cameraButton = $('camera-button'), video = $('camera'), stream = null, detectTimer = null;
  var lastCode = '', lastSeen = 0;
  function stopCamera() {
    clearInterval(detectTimer);
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    cameraButton.textContent = T.camera_start;
  }
  if ('BarcodeDetector' in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    cameraButton.hidden = false;
    cameraButton.addEventListener('click', function () {
      if (stream) { stopCamera(); scanInput.focus(); return; }
      navigator.mediaDevices.getUserMedia({video: {facingMode: 'environment'}, audio: false}).then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        var playing = video.play();
        if (playing && playing.catch) playing.catch(function () { /* shown paused; detection still reads frames */ });
        cameraButton.textContent = T.camera_stop;
        var detector = new window.BarcodeDetector({formats: ['qr_code']});
        detectTimer = setInterval(function () {
          if (video.readyState < 2) return;
          detector.detect(video).then(function (codes) {
            if (!codes.length) return;
            var code = codes[0].rawValue, now = Date.now();
            // A code held in front of the camera is read once: again only after 3 s out of sight.
            var repeat = code === lastCode && now - lastSeen < 3000;
            lastCode = code;
            lastSeen = now;
            if (!repeat) submit({code: code});
          }, function () { /* a frame that could not be read */ });
        }, 300);
      }, function (error) {
        note(fill(T.camera_failed, {message: error && error.name ? error.name : ''}));
      });
      scanInput.focus();
    });
  }

  // Exposed for checking the offline verification by hand (and by the browser test).
  window.checkinStation = {ticketFromCode: ticketFromCode, sha256: sha256, sha256Fallback: sha256Fallback};

  renderSync();
  renderCounts();
  sync();
  if (queue.length) upload();
  scanInput.focus();
})();
