/* The registration form (event_register.html): follow-up questions, full choices, one submission at a time. */
(function () {
  var form = document.getElementById('register-form');
  if (!form) return;
  var blocks = [].slice.call(form.querySelectorAll('.q[data-q]'));
  function fields(block) { return [].slice.call(block.querySelectorAll('input,textarea,select')); }
  function picked(block) {
    if (!block) return [];
    return fields(block).filter(function (f) { return (f.type === 'radio' || f.type === 'checkbox') && f.checked; })
      .map(function (f) { return f.value; });
  }
  function currentScope() {
    var chosen = form.querySelector('input[name="scope"]:checked') || form.querySelector('input[type="hidden"][name="scope"]');
    return chosen ? chosen.value : form.getAttribute('data-scope');
  }
  function update() {
    var shown = {};
    var scope = currentScope();
    blocks.forEach(function (block) {
      var parent = block.getAttribute('data-parent');
      var visible = true;
      if (parent) {
        var wanted = (block.getAttribute('data-values') || '').split(' ');
        var parentBlock = form.querySelector('.q[data-q="' + parent + '"]');
        visible = !!shown[parent] && picked(parentBlock).some(function (v) { return wanted.indexOf(v) >= 0; });
      }
      shown[block.getAttribute('data-q')] = visible;
      block.hidden = !visible;
      fields(block).forEach(function (field) {
        var fullIn = field.getAttribute('data-full-in');
        var full = !!fullIn && fullIn.split(' ').indexOf(scope) >= 0;
        if (fullIn) {
          if (full) field.checked = false;
          var label = field.parentNode;
          label.className = full ? 'choice full' : 'choice';
          var note = label.querySelector('[data-full-note]');
          if (note) note.hidden = !full;
        }
        field.disabled = !visible || full;
        if (field.hasAttribute('data-required')) field.required = visible;
      });
    });
  }
  form.addEventListener('change', update);
  form.addEventListener('submit', function () {
    var button = form.querySelector('button[type="submit"]');
    setTimeout(function () { button.disabled = true; }, 0);
  });
  window.addEventListener('pageshow', function () { form.querySelector('button[type="submit"]').disabled = false; });
  update();
})();
