/* Roster import (admin_import.html): uploads the file to the API and shows the report. Words come from the page's
   import-strings JSON block.

   The report's words come first, as `importReport` (node loads them for tests/js/admin_import.test.js); in a browser
   the page part below runs with them. */
var importReport = (function () {
  'use strict';
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) { return key in values ? values[key] : whole; });
  }
  // What the page says first about an answer of POST /api/roster/imports: {text, cls, problems} (problems: show a table).
  function summary(ok, report, S) {
    if (!ok) return {text: fill(S.failed, {message: ((report || {}).error || {}).message || ''}), cls: 'notice bad', problems: false};
    if (report.accepted) return {text: fill(S.accepted, report), cls: 'notice ok', problems: false};
    return {text: fill(S.rejected, {count: report.problems.length}), cls: 'notice bad', problems: true};
  }
  // One problem's cells: the row ('—' for the whole file), the column's label, the message in the page's language.
  function problemCells(problem, S) {
    return [
      problem.row ? String(problem.row) : '—',
      problem.column ? (S.columns[problem.column] || problem.column) : S.whole_file,
      S.lang === 'en' ? problem.message_en : problem.message_zh
    ];
  }
  return {fill: fill, summary: summary, problemCells: problemCells};
})();

if (typeof module === 'object' && module.exports) module.exports = importReport;
else (function (R) {
  var S = JSON.parse(document.getElementById('import-strings').textContent);
  var XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  var form = document.getElementById('import-form');
  var out = document.getElementById('import-result');
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text != null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function say(text, cls) { out.textContent = ''; out.appendChild(el('p', text, cls)); }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var file = form.elements.file.files[0];
    if (!file) { say(S.no_file, 'notice bad'); return; }
    var button = form.querySelector('button');
    button.disabled = true;
    say(S.working, 'muted');
    fetch('/api/roster/imports?filename=' + encodeURIComponent(file.name) + '&lang=' + S.lang, {
      method: 'POST',
      body: file,
      headers: {'Content-Type': file.name.toLowerCase().endsWith('.csv') ? 'text/csv' : XLSX},
      credentials: 'same-origin'
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (result) {
      var report = result.body, first = R.summary(result.ok, report, S);
      say(first.text, first.cls);
      if (!first.problems) return;
      var table = el('table', null, 'data');
      var head = table.createTHead().insertRow();
      [S.row, S.column, S.problem].forEach(function (text) { head.appendChild(el('th', text)); });
      var rows = table.createTBody();
      report.problems.forEach(function (problem) {
        var row = rows.insertRow();
        R.problemCells(problem, S).forEach(function (text) { row.appendChild(el('td', text)); });
      });
      var wrap = el('div', null, 'scroll card');
      wrap.appendChild(table);
      out.appendChild(wrap);
    }).catch(function () {
      say(R.fill(S.failed, {message: ''}), 'notice bad');
    }).then(function () { button.disabled = false; });
  });
})(importReport);
