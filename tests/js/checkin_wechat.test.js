// The WeChat scanner script's rules without a page (chalicelib/web/static/checkin_wechat.js), in node.
// Run: node --test tests/js/*.test.js   (devtools/check.sh runs it in `make test`).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const wechat = require('../../chalicelib/web/static/checkin_wechat.js');

test('the signed address is the page without its fragment', () => {
  assert.equal(wechat.signedUrl('https://u.example.edu.cn/events/e1/checkin?point=s1#x#y'),
    'https://u.example.edu.cn/events/e1/checkin?point=s1');
  assert.equal(wechat.signedUrl('https://u.example.edu.cn/'), 'https://u.example.edu.cn/');
});

test('the config request names the event and the whole address, escaped', () => {
  assert.equal(wechat.configPath('ev-1', 'https://u.example.edu.cn/events/ev-1/checkin?point=s1&lang=en#cam'),
    '/api/events/ev-1/checkin/wechat-config?url=' +
    'https%3A%2F%2Fu.example.edu.cn%2Fevents%2Fev-1%2Fcheckin%3Fpoint%3Ds1%26lang%3Den');
});

test('wx.config asks for the scanner only, with the server signature as it came', () => {
  const answer = {app_id: 'wx00112233445566ff', timestamp: 1700000000, nonce_str: 'ab12', signature: 'f'.repeat(40)};
  assert.deepEqual(wechat.wxConfig(answer), {
    debug: false, appId: 'wx00112233445566ff', timestamp: 1700000000, nonceStr: 'ab12',
    signature: 'f'.repeat(40), jsApiList: ['scanQRCode']
  });
});

test('a scan result is its text; nothing read is null', () => {
  assert.equal(wechat.scanned({errMsg: 'scanQRCode:ok', resultStr: ' https://u.example.edu.cn/t/abc \n'}),
    'https://u.example.edu.cn/t/abc');
  assert.equal(wechat.scanned({errMsg: 'scanQRCode:ok', resultStr: '  '}), null);
  assert.equal(wechat.scanned({errMsg: 'scanQRCode:cancel'}), null);
  assert.equal(wechat.scanned(null), null);
});
