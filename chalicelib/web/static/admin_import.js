/* Roster import (admin_import.html): uploads the file to the API and shows the report. Words come from the page's import-strings JSON block. */
(function () {
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
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) { return key in values ? values[key] : whole; });
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
      var report = result.body;
      if (!result.ok) { say(fill(S.failed, {message: (report.error || {}).message || ''}), 'notice bad'); return; }
      if (report.accepted) { say(fill(S.accepted, report), 'notice ok'); return; }
      say(fill(S.rejected, {count: report.problems.length}), 'notice bad');
      var table = el('table', null, 'data');
      var head = table.createTHead().insertRow();
      [S.row, S.column, S.problem].forEach(function (text) { head.appendChild(el('th', text)); });
      var rows = table.createTBody();
      report.problems.forEach(function (problem) {
        var row = rows.insertRow();
        row.appendChild(el('td', problem.row ? String(problem.row) : '—'));
        row.appendChild(el('td', problem.column ? (S.columns[problem.column] || problem.column) : S.whole_file));
        row.appendChild(el('td', S.lang === 'en' ? problem.message_en : problem.message_zh));
      });
      var wrap = el('div', null, 'scroll card');
      wrap.appendChild(table);
      out.appendChild(wrap);
    }).catch(function () {
      say(fill(S.failed, {message: ''}), 'notice bad');
    }).then(function () { button.disabled = false; });
  });
})();
