// Participatory budget ballot: a running total against the budget. The server checks the same rule.
(function () {
  "use strict";
  var form = document.querySelector("form[data-budget]");
  if (!form) return;
  var budget = Math.round(parseFloat(form.getAttribute("data-budget")) * 100);
  var totalEl = form.querySelector("[data-total]");
  var overEl = form.querySelector("[data-over]");
  var submit = form.querySelector("button[type=submit]");
  function update() {
    var fen = 0;
    form.querySelectorAll("input[name=choice]:checked").forEach(function (box) {
      fen += Math.round(parseFloat(box.getAttribute("data-cost") || "0") * 100);
    });
    // ¥80,000.00, as the server writes amounts (civic.money.format_yuan)
    totalEl.textContent = "¥" + (fen / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    var over = fen > budget;
    overEl.hidden = !over;
    form.classList.toggle("is-over", over);
    submit.disabled = over;
    form.querySelectorAll("input[name=choice]:not(:checked)").forEach(function (box) {
      var cost = Math.round(parseFloat(box.getAttribute("data-cost") || "0") * 100);
      box.closest(".option-row").classList.toggle("would-exceed", fen + cost > budget);
    });
  }
  form.addEventListener("change", update);
  update();
})();
