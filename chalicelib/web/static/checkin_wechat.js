// WeChat's own scanner on the check-in station. The page loads this script (after vendor/jweixin.js, which defines
// window.wx) only inside WeChat on a deployment with an Official Account (chalicelib/web/station_pages.py). The
// server signs wx.config for this page's address (GET /api/events/{id}/checkin/wechat-config); once WeChat accepts
// it, the "微信扫一扫" button opens WeChat's scanner and what it read goes down the station's scan path, like a code
// typed or read by a handheld scanner.
(function () {
  'use strict';

  var checkinWechat = {
    // The address the signature covers: the page's, without '#' and what follows.
    signedUrl: function (href) { return String(href).split('#')[0]; },
    configPath: function (eventId, href) {
      return '/api/events/' + encodeURIComponent(eventId) + '/checkin/wechat-config?url=' +
        encodeURIComponent(checkinWechat.signedUrl(href));
    },
    // wx.config from the server's answer: only the scanner is asked for.
    wxConfig: function (answer) {
      return {
        debug: false, appId: answer.app_id, timestamp: answer.timestamp, nonceStr: answer.nonce_str,
        signature: answer.signature, jsApiList: ['scanQRCode']
      };
    },
    // The text WeChat's scanner read (wx.scanQRCode with needResult: 1), or null when it read nothing.
    scanned: function (result) {
      var text = result && typeof result.resultStr === 'string' ? result.resultStr.trim() : '';
      return text || null;
    }
  };

  if (typeof module === 'object' && module.exports) {
    module.exports = checkinWechat;
    return;
  }

  // ---- the page ----------------------------------------------------------------------------------------------
  var configElement = document.getElementById('station-config');
  var button = document.getElementById('wechat-scan');
  var note = document.getElementById('wechat-note');
  if (!configElement || !button || !note || !window.wx) return;
  var config = JSON.parse(configElement.textContent);
  var texts = config.wechat || {};

  function say(message) {
    note.textContent = message || texts.failed || '';
    note.hidden = false;
  }

  // The station's own scan path: its hook when it has one, else its scan form.
  function hand(code) {
    if (typeof window.checkinStationScan === 'function') {
      window.checkinStationScan(code);
      return;
    }
    var input = document.getElementById('scan-input');
    var form = document.getElementById('scan-form');
    input.value = code;
    if (form.requestSubmit) form.requestSubmit();
    else form.dispatchEvent(new Event('submit', {cancelable: true}));
  }

  button.addEventListener('click', function () {
    window.wx.scanQRCode({
      needResult: 1,
      scanType: ['qrCode'],
      success: function (result) {
        var code = checkinWechat.scanned(result);
        if (code) hand(code);
      },
      fail: function () { say(texts.failed); }
    });
  });

  window.wx.ready(function () {
    button.hidden = false;
    button.dataset.ready = 'yes';
  });
  window.wx.error(function () { say(texts.failed); });

  fetch(checkinWechat.configPath(config.event_id, window.location.href), {
    credentials: 'same-origin',
    headers: {Accept: 'application/json'}
  }).then(function (response) {
    return response.json().then(function (body) {
      if (!response.ok) throw {message: body && body.error && body.error.message};
      window.wx.config(checkinWechat.wxConfig(body));
    });
  }).catch(function (problem) { say(problem && !(problem instanceof Error) ? problem.message : null); });
})();
