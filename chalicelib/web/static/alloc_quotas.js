/* Unit quotas (alloc_quotas.html): the running sum of the fixed quotas. */
(function () {
  var form = document.getElementById('quota-form');
  var sum = document.getElementById('quota-sum');
  if (!form || !sum) return;
  function update() {
    var total = 0;
    [].forEach.call(form.querySelectorAll('input[data-quota]'), function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value)) total += value;
    });
    sum.textContent = total;
  }
  form.addEventListener('input', update);
})();
