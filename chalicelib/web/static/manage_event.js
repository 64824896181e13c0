/* The event editor (manage_event.html): show the allocation fields that fit the chosen entry type and allocation. */
(function () {
  var box = document.getElementById('allocation-fields');
  if (!box) return;
  var allocation = document.getElementById('f-allocation');
  var entry = document.getElementById('f-entry_type');
  function update() {
    [].forEach.call(box.querySelectorAll('[data-show-entry]'), function (part) {
      part.hidden = part.getAttribute('data-show-entry').split(' ').indexOf(entry.value) < 0;
    });
    [].forEach.call(box.querySelectorAll('[data-show-allocation]'), function (part) {
      part.hidden = part.getAttribute('data-show-allocation').split(' ').indexOf(allocation.value) < 0;
    });
  }
  allocation.addEventListener('change', update);
  entry.addEventListener('change', update);
  update();
})();
