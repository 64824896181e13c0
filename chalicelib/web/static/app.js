/* Behaviour every page may ask for with a data- attribute (the Content-Security-Policy refuses inline handlers):
   data-confirm on a button or a form: ask before submitting, in the words of the attribute;
   data-print: print the page; data-select-on-focus: select a field's text when it gets focus;
   data-submit-on-change: submit a field's form when its value changes;
   data-disable-on-submit: disable a form's button once it is sent (no second submission). */
(function () {
  'use strict';
  function closest(node, selector) {
    return node && node.closest ? node.closest(selector) : null;
  }
  document.addEventListener('click', function (event) {
    var asking = closest(event.target, 'button[data-confirm],input[data-confirm]');
    if (asking && !window.confirm(asking.getAttribute('data-confirm'))) {
      event.preventDefault();
      return;
    }
    if (closest(event.target, '[data-print]')) {
      window.print();
    }
  });
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.hasAttribute('data-confirm') && !window.confirm(form.getAttribute('data-confirm'))) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute('data-disable-on-submit')) {
      var button = form.querySelector('button');
      if (button) button.disabled = true;
    }
  });
  document.addEventListener('focusin', function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute('data-select-on-focus')) {
      event.target.select();
    }
  });
  document.addEventListener('change', function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute('data-submit-on-change') && field.form) {
      field.form.submit();
    }
  });
})();
