// Live ticket codes without a page (chalicelib/web/static/checkin_codes.js, `checkinCodes`), in node, against the
// cases of checkin_codes.json that tests/unit/test_checkin_codes.py checks against chalicelib.domain.checkin_codes.
// Run: node --test tests/js/*.test.js   (devtools/check.sh runs it in `make test`).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const {createHmac} = require('node:crypto');
const codes = require('../../chalicelib/web/static/checkin_codes.js');
const station = require('../../chalicelib/web/static/checkin_station.js');
const live = require('./checkin_codes.json').live;

const subtle = globalThis.crypto.subtle;

test('the MAC of (ticket, step) is the Python one', async () => {
  assert.ok(live.macs.length >= 3);
  for (const c of live.macs) {
    assert.equal(await codes.liveMac(c.key, c.ticket, c.step, subtle), c.mac);
    const expected = createHmac('sha256', Buffer.from(c.key, 'hex')).update(`${c.ticket}.${c.step}`).digest('hex');
    assert.equal(c.mac, expected.slice(0, 16));
  }
});

test('each scanned code at each moment gets the Python verdict, offline as online', async () => {
  assert.ok(live.cases.length >= 15);
  for (const c of live.cases) {
    const ticket = station.ticketFromCode(c.code);
    assert.equal(ticket, live.ticket, c.code);
    assert.equal(await codes.liveVerdict(live.key, ticket, c.code, c.at * 1000, subtle), c.verdict, `${c.code} @ ${c.at}`);
  }
});

test('the page draws the current code, which the station accepts for 30 s and 5 s either side', async () => {
  const at = 1_800_000_000_000 + 12_345;
  const code = await codes.liveCode('https://u.example/t/' + live.ticket, live.ticket, live.key, at, subtle);
  assert.match(code, /^https:\/\/u\.example\/t\/m2k7q4zx5w6v3u2t7s6r5q4p3o\?r=60000000\.[0-9a-f]{16}$/);
  assert.equal(await codes.liveVerdict(live.key, live.ticket, code, at, subtle), null);
  assert.equal(await codes.liveVerdict(live.key, live.ticket, code, 1_800_000_034_999, subtle), null);
  assert.equal(await codes.liveVerdict(live.key, live.ticket, code, 1_800_000_035_000, subtle), 'ticket_stale');
  assert.equal(codes.stepAt(at), 60_000_000);
});

test('without Web Crypto the code is refused with NoWebCrypto (a page over plain http)', async () => {
  await assert.rejects(codes.liveMac(live.key, live.ticket, 1, undefined), {name: 'NoWebCrypto'});
});

test('the clock offset from a server time', () => {
  assert.equal(codes.clockOffset('2026-01-01T00:00:10Z', Date.parse('2026-01-01T00:00:00Z')), 10_000);
  assert.equal(codes.clockOffset(5_000, 2_000), 3_000);
  assert.equal(codes.clockOffset('not a time', 2_000), 0);
});
