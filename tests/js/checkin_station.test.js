// The station script's rules without a page (chalicelib/web/static/checkin_station.js, `checkinStation`), in node.
// Run: node --test tests/js/*.test.js   (devtools/check.sh runs it in `make test`).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const {createHash} = require('node:crypto');
const station = require('../../chalicelib/web/static/checkin_station.js');
const cases = require('./checkin_codes.json');

const subtle = globalThis.crypto.subtle;
const T = {
  scope_series: 'whole series', already_detail: 'at {time} by {by}', queued: 'queued', lookup_arrived: 'in at {time}',
  uploading: 'uploading', offline: 'offline, {count} queued', online_pending: 'online, {count} to upload',
  online: 'online, synced {time}', online_unsynced: 'online, not synced'
};
const cfg = {points: {entry: 'Entry', s1: 'Day 1'}, states: {waitlisted: 'Waiting list'}};

// An ISO time whose local time of day is hh:mm (the page shows the station's local time).
function localAt(hours, minutes) { return new Date(2026, 2, 14, hours, minutes).toISOString(); }

function list() {
  return {
    synced_at: localAt(9, 5),
    entries: [
      {digest: 'd1', staff_no: 'M0001', name: '来宾一', unit_name: 'CS', scope: 'series'},
      {digest: 'd2', staff_no: 'M0002', name: '来宾二', unit_name: 'CS', scope: 's1', state: 'waitlisted'},
      {digest: 'd3', staff_no: 'X0100', name: 'Ada', unit_name: 'Maths', scope: 'series'}
    ],
    checked_in: {M0001: localAt(8, 30)}
  };
}

test('the script loads in node without a page (its page part would need `document`) and exports its rules', () => {
  assert.equal(typeof globalThis.document, 'undefined');
  for (const name of ['ticketFromCode', 'digestOf', 'lookUp', 'uploadBatch', 'settleUpload', 'verdictLines']) {
    assert.equal(typeof station[name], 'function', name);
  }
  assert.equal(station.MAX_CODE, 512);
  assert.equal(station.BATCH, 200);
});

test('every scanned code reads as the ticket the server reads in it', () => {
  assert.ok(cases.codes.length >= 20);
  for (const {code, ticket} of cases.codes) {
    assert.equal(station.ticketFromCode(code), ticket, JSON.stringify(code));
  }
});

test('the digest of a code is the offline list digest the server computes', async () => {
  for (const {ticket, digest} of cases.digests) {
    assert.equal(await station.digestOf(ticket, subtle), digest);
    assert.equal(await station.digestOf('https://union.example/t/' + ticket.toUpperCase() + '?x=1', subtle), digest);
  }
  assert.equal(await station.digestOf('hello, not a ticket', subtle), null);
  assert.equal(await station.digestOf('hello, not a ticket', undefined), null);  // not a ticket: no digest needed
});

test('sha256 is the standard digest, over several blocks too', async () => {
  assert.equal(await station.sha256('abc', subtle), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(await station.sha256('', subtle), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  const long = 'x'.repeat(200);
  assert.equal(await station.sha256(long, subtle), createHash('sha256').update(long).digest('hex'));
});

test('without Web Crypto (a page over plain http from another machine) a ticket digest is refused, by name', async () => {
  await assert.rejects(station.sha256('abc', undefined), {name: 'NoWebCrypto'});
  await assert.rejects(station.digestOf(cases.digests[0].ticket, null), {name: 'NoWebCrypto'});
});

test('staff numbers are compared the way the server normalises them', () => {
  assert.equal(station.normaliseStaffNo(' ｍ０００１ '), 'M0001');  // full-width, spaces
  assert.equal(station.normaliseStaffNo('m 00\t01'), 'M0001');
  assert.equal(station.entryByStaffNo(list(), 'ｍ0002').name, '来宾二');
  assert.equal(station.entryByStaffNo(list(), 'M0009'), null);
});

test('the offline list is indexed by digest', () => {
  const index = station.indexByDigest(list());
  assert.deepEqual(Object.keys(index).sort(), ['d1', 'd2', 'd3']);
  assert.equal(index.d3.staff_no, 'X0100');
  assert.deepEqual(station.indexByDigest(null), {});
});

test('an earlier check-in comes from the synced list, else from this device queue at the same point', () => {
  const queue = [
    {scan_id: 'a', point: 'entry', at: localAt(9, 10), who: 'M0002'},
    {scan_id: 'b', point: 's1', at: localAt(9, 11), who: 'X0100'}
  ];
  assert.deepEqual(station.earlierCheckIn(list(), queue, 'entry', 'M0001', 'here'), {at: localAt(8, 30), by: ''});
  assert.deepEqual(station.earlierCheckIn(list(), queue, 'entry', 'M0002', 'here'), {at: localAt(9, 10), by: 'here'});
  assert.equal(station.earlierCheckIn(list(), queue, 'entry', 'X0100', 'here'), null);  // queued at another point
  assert.equal(station.earlierCheckIn(null, [], 'entry', 'M0001', 'here'), null);
  assert.deepEqual(station.queuedAt(queue, 's1').map((item) => item.scan_id), ['b']);
});

test('the offline look-up matches a staff number prefix or part of a name, at most 20', () => {
  const queue = [{scan_id: 'a', point: 'entry', at: localAt(9, 10), who: 'M0002'}];
  const found = station.lookUp(list(), queue, 'entry', 'm000', 'here');
  assert.deepEqual(found.map((e) => [e.staff_no, e.checked_in_at]), [['M0001', localAt(8, 30)], ['M0002', localAt(9, 10)]]);
  assert.deepEqual(station.lookUp(list(), queue, 'entry', 'Ad', 'here').map((e) => e.staff_no), ['X0100']);
  assert.deepEqual(station.lookUp(list(), queue, 'entry', '0100', 'here'), []);  // a prefix, not any part
  assert.deepEqual(station.lookUp(null, queue, 'entry', 'M', 'here'), []);
  const many = {entries: [], checked_in: {}};
  for (let i = 0; i < 30; i++) many.entries.push({digest: 'd' + i, staff_no: 'M1' + String(i).padStart(3, '0'), name: 'n'});
  assert.equal(station.lookUp(many, [], 'entry', 'M1', 'here').length, 20);
});

test('a scan admitted offline is queued with what was scanned, and uploaded in batches of 200', () => {
  const entry = list().entries[0];
  const byCode = station.queueItem({scan_id: 's1', point: 'entry', code: 'https://u/t/x'}, entry, '2026-03-14T01:00:00.000Z');
  assert.deepEqual(byCode, {scan_id: 's1', point: 'entry', at: '2026-03-14T01:00:00.000Z', who: 'M0001', code: 'https://u/t/x'});
  const byNo = station.queueItem({scan_id: 's2', point: 'entry', staff_no: 'm0001'}, entry, '2026-03-14T01:00:01.000Z');
  assert.deepEqual(byNo, {scan_id: 's2', point: 'entry', at: '2026-03-14T01:00:01.000Z', who: 'M0001', staff_no: 'M0001'});

  const queue = [];
  for (let i = 0; i < 205; i++) queue.push({scan_id: 'q' + i, point: 'entry', at: 't' + i, who: 'W', code: 'c' + i});
  queue[1] = byNo;
  const {batch, scans} = station.uploadBatch(queue);
  assert.equal(batch.length, 200);
  assert.equal(scans.length, 200);
  assert.deepEqual(scans[0], {scan_id: 'q0', point: 'entry', at: 't0', code: 'c0'});  // `who` stays on the device
  assert.deepEqual(scans[1], {scan_id: 's2', point: 'entry', at: '2026-03-14T01:00:01.000Z', staff_no: 'M0001'});
});

test('after an upload the answered scans leave the queue and the outcomes are counted', () => {
  const batch = [
    {scan_id: 'a', point: 'entry'}, {scan_id: 'b', point: 'entry'}, {scan_id: 'c', point: 's1'},
    {scan_id: 'd', point: 'entry'}, {scan_id: 'e', point: 'entry'}
  ];
  const stored = batch.concat([{scan_id: 'late', point: 'entry'}]);  // queued while the upload was on its way
  const results = [
    {scan_id: 'a', outcome: 'recorded'}, {scan_id: 'b', outcome: 'replayed'}, {scan_id: 'c', outcome: 'recorded'},
    {scan_id: 'd', outcome: 'conflict'}
  ];
  const settled = station.settleUpload(stored, batch, results, 'entry');
  assert.deepEqual(settled.queue.map((item) => item.scan_id), ['e', 'late']);  // e: not answered, kept
  assert.equal(settled.recordedHere, 1);  // c was recorded at another point
  assert.equal(station.settleUpload(stored, batch, [{scan_id: 'e', outcome: 'refused'}], 'entry').conflicts, 1);
  assert.equal(settled.conflicts, 1);
});

test('fill and hhmm format the words and times the page shows', () => {
  assert.equal(station.fill('{count} of {total}, {missing}', {count: 3, total: 0}), '3 of 0, {missing}');
  assert.equal(station.hhmm(localAt(8, 5)), '08:05');
  assert.equal(station.hhmm(localAt(23, 59)), '23:59');
  assert.equal(station.hhmm('not a time'), '');
  assert.equal(station.hex(new Uint8Array([0, 15, 16, 255])), '000f10ff');
});

test('a verdict shows who, their unit and scope, and when they came in or that the scan is queued', () => {
  const already = station.verdictLines({
    verdict: 'already', tone: 'warn', name: '王老师', staff_no: 'A0001', unit_name: 'CS', scope: 's1',
    check_in: {at: localAt(8, 30), by: 'A0002', station: 'gate-1'}
  }, cfg, T);
  assert.deepEqual(already, {name: '王老师（A0001）', detail: 'CS · Day 1', extra: 'at 08:30 by A0002 · gate-1'});
  const unnamed = station.verdictLines({verdict: 'already', tone: 'warn', check_in: {at: localAt(8, 30), by: ''}}, cfg, T);
  assert.deepEqual(unnamed, {name: '', detail: '', extra: 'at 08:30 by –'});
  const queued = station.verdictLines({verdict: 'admitted', tone: 'ok', offline: true, name: 'Ada', scope: 'series'}, cfg, T);
  assert.deepEqual(queued, {name: 'Ada', detail: 'whole series', extra: 'queued'});
  assert.equal(station.verdictLines({verdict: 'admitted', tone: 'ok', scope: 'gone'}, cfg, T).detail, 'gone');
});

test('a look-up line names the person, unit, scope, a state other than confirmed, and when they came in', () => {
  const entry = {name: '来宾二', staff_no: 'M0002', unit_name: 'CS', scope: 's1', state: 'waitlisted', checked_in_at: localAt(9, 10)};
  assert.equal(station.lookupLine(entry, cfg, T), '来宾二（M0002） · CS · Day 1 · Waiting list · in at 09:10');
  const plain = {name: 'Ada', staff_no: 'X0100', unit_name: '', scope: 'series', state: 'confirmed', checked_in_at: null};
  assert.equal(station.lookupLine(plain, cfg, T), 'Ada（X0100） · whole series');
});

test('the sync line says uploading, offline with the queue, pending uploads, or when the list was synced', () => {
  assert.equal(station.syncText('uploading', 3, list(), T), 'uploading');
  assert.equal(station.syncText('offline', 3, list(), T), 'offline, 3 queued');
  assert.equal(station.syncText('online', 2, list(), T), 'online, 2 to upload');
  assert.equal(station.syncText('online', 0, list(), T), 'online, synced 09:05');
  assert.equal(station.syncText('online', 0, null, T), 'online, not synced');
});

test('the panel belongs to the latest scan: an earlier scan\'s late answer goes to the list, latest scan first', () => {
  const board = station.scanBoard(8);
  const v = (name, tone) => ({name, tone, verdict: tone === 'ok' ? 'admitted' : 'unknown', message: name + '!'});
  const one = board.start(localAt(9, 0)), two = board.start(localAt(9, 1));
  assert.deepEqual([one, two, board.latest()], [1, 2, 2]);
  assert.equal(board.panel().seq, 2);
  assert.equal(board.panel().verdict, null);  // "checking…" until its own answer
  assert.equal(board.settle(one, v('A', 'ok')), 'list');  // the slow first answer never takes the panel
  assert.equal(board.panel().verdict, null);
  assert.equal(board.settle(two, v('B', 'bad')), 'panel');
  assert.equal(board.panel().verdict.name, 'B');
  const three = board.start(localAt(9, 2));
  assert.equal(board.panel().seq, three);
  assert.deepEqual(board.recent().map((scan) => [scan.seq, scan.verdict.name]), [[2, 'B'], [1, 'A']]);
  // Offline verdicts (answered at once) follow the same rule.
  assert.equal(board.settle(three, v('C', 'ok')), 'panel');
});

test('the list keeps the last 8 earlier scans, checking ones included, and forgets older answers', () => {
  const board = station.scanBoard(8);
  const seqs = Array.from({length: 11}, (_, i) => board.start(localAt(10, i)));
  assert.deepEqual(board.recent().map((scan) => scan.seq), [10, 9, 8, 7, 6, 5, 4, 3]);
  assert.equal(board.settle(seqs[1], {name: 'late'}), 'gone');  // scan 2 fell off the list
  assert.equal(board.settle(seqs[3], {name: 'D', message: 'ok'}), 'list');
  assert.equal(board.recent()[6].verdict.name, 'D');
  const T = {checking: 'checking…'};
  assert.equal(station.recentLine({at: localAt(10, 3), verdict: null}, T), '10:03:00 · checking…');
  assert.equal(
    station.recentLine({at: localAt(10, 4), verdict: {name: '来宾一', staff_no: 'M0001', message: '签到成功'}}, T),
    '10:04:00 · 来宾一（M0001） · 签到成功'
  );
  assert.equal(station.recentLine({at: localAt(10, 5), verdict: {message: '无法识别'}}, T), '10:05:00 · 无法识别');
});

// Feeds the detector keys `gap` ms apart from `start`, then Enter `gap` ms later: what Enter returned.
function typeKeys(detector, text, start, gap) {
  const starts = [];
  let time = start;
  for (const key of text) {
    if (detector.key(key, time)) starts.push(time);
    time += gap;
  }
  return {enter: detector.key('Enter', time), starts, end: time};
}

test('a scanner burst (a few ms a key, then Enter) is a code; people typing are not', () => {
  const detector = station.burstDetector();
  const code = 'https://x.test/t/' + 'a'.repeat(26);
  const burst = typeKeys(detector, code, 1000, 4);
  assert.deepEqual(burst.enter, {code});
  assert.deepEqual(burst.starts, [1000]);  // one run: the page keeps the field's value from before it
  // Typing a name in the look-up, 120 ms a key: no burst, and each key starts a new run.
  const typed = typeKeys(detector, '王组织abc', 5000, 120);
  assert.equal(typed.enter, null);
  assert.equal(typed.starts.length, 6);
  // Someone typing, then a burst in the same field: only the burst is the code.
  typeKeys(detector, 'Ada', 9000, 150);
  assert.deepEqual(typeKeys(detector, 'M0001XYZ', 9600, 10).enter, {code: 'M0001XYZ'});
  // Too short to be a code (a few keys rolled over quickly), or Enter a while after the burst.
  assert.equal(typeKeys(detector, 'abc', 20000, 5).enter, null);
  for (const [i, key] of [...'abcdefgh'].entries()) detector.key(key, 30000 + 5 * i);
  assert.equal(detector.key('Enter', 30300), null);  // Enter 0.3 s after the last key: a person pressed it
  for (const [i, key] of [...'abcdefgh'].entries()) detector.key(key, 40000 + 5 * i);
  assert.deepEqual(detector.key('Enter', 40040), {code: 'abcdefgh'});
});

test('a burst keeps Shift (upper case from the scanner) and ends at any other key', () => {
  const detector = station.burstDetector();
  let time = 0;
  for (const key of 'ABCDEF') {
    assert.equal(detector.key('Shift', time), null);
    detector.key(key, time + 1);
    time += 8;
  }
  assert.deepEqual(detector.key('Enter', time), {code: 'ABCDEF'});
  for (const key of 'abcdef') { detector.key(key, time); time += 5; }
  detector.key('Backspace', time);
  assert.equal(detector.key('Enter', time + 5), null);
  // The gap is below ~30 ms: 40 ms a key is a person (or a slow scanner) and not a burst.
  assert.equal(typeKeys(station.burstDetector(), 'abcdefgh', 0, 40).enter, null);
  assert.ok(station.BURST_GAP_MS >= 30 && station.BURST_GAP_MS < 40);
});

test('the offline index tells a replaced ticket (list.revoked) from an unknown one', () => {
  const synced = Object.assign(list(), {revoked: ['r1', 'd2']});
  const byDigest = station.indexByDigest(synced);
  assert.deepEqual(byDigest.r1, {digest: 'r1', revoked: true});
  assert.equal(byDigest.d2.staff_no, 'M0002');  // a digest that admits is never taken for a revoked one
  assert.equal(byDigest.nope, undefined);
  assert.equal(station.indexByDigest(list()).r1, undefined);  // a list synced before revoked codes were listed
});

test('"already" names the staff member: by name online and offline, by 工号 for a check-in recorded before names', () => {
  const synced = Object.assign(list(), {checked_in_by: {M0001: {by: 'A0002', by_name: '王老师', station: 'gate-1'}}});
  const earlier = station.earlierCheckIn(synced, [], 'entry', 'M0001', 'here');
  assert.deepEqual(earlier, {at: localAt(8, 30), by: 'A0002', by_name: '王老师', station: 'gate-1'});
  const offline = station.verdictLines({verdict: 'already', tone: 'warn', offline: true, check_in: earlier}, cfg, T);
  assert.equal(offline.extra, 'at 08:30 by 王老师 · gate-1');
  const online = {at: localAt(8, 30), by: 'A0002', by_name: '王老师', station: null};
  assert.equal(station.verdictLines({verdict: 'already', tone: 'warn', check_in: online}, cfg, T).extra, 'at 08:30 by 王老师');
  const older = {at: localAt(8, 30), by: 'A0002', by_name: null, station: null};
  assert.equal(station.verdictLines({verdict: 'already', tone: 'warn', check_in: older}, cfg, T).extra, 'at 08:30 by A0002');
});

test('a scan the organiser confirmed outside the point\'s window keeps its flag through the offline queue', () => {
  const entry = {staff_no: 'M0001'};
  const confirmed = station.queueItem({scan_id: 'w1', point: 's1', code: 'https://u/t/x', confirm_outside_window: true}, entry, localAt(9, 0));
  const plain = station.queueItem({scan_id: 'w2', point: 's1', code: 'https://u/t/y'}, entry, localAt(9, 1));
  assert.equal(confirmed.confirm_outside_window, true);
  assert.equal('confirm_outside_window' in plain, false);
  const {scans} = station.uploadBatch([confirmed, plain]);
  assert.deepEqual(scans.map((scan) => scan.confirm_outside_window), [true, undefined]);
});
