// While a proposal is being written, show existing proposals of the area that look alike, so that
// people co-sign instead of writing the same thing twice. Without JavaScript the draft page shows them.
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  if (!form) return;
  var title = form.querySelector("[name=title]");
  var area = form.querySelector("[name=area]");
  var box = form.querySelector(".similar");
  var list = box && box.querySelector("ul");
  if (!title || !box) return;
  var timer;
  function look() {
    var text = title.value.trim();
    if (text.length < 2) { box.hidden = true; return; }
    var url = form.getAttribute("data-similar-url") + "?title=" + encodeURIComponent(text) +
      "&area=" + encodeURIComponent(area ? area.value : "");
    fetch(url, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) {
        list.textContent = "";
        data.results.forEach(function (p) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = p.url; a.textContent = p.title; a.target = "_blank";
          li.appendChild(a);
          li.appendChild(document.createTextNode(" (" + p.state + ")"));
          list.appendChild(li);
        });
        box.hidden = data.results.length === 0;
      })
      .catch(function () { box.hidden = true; });
  }
  function soon() { clearTimeout(timer); timer = setTimeout(look, 350); }
  title.addEventListener("input", soon);
  if (area) area.addEventListener("change", soon);
})();
