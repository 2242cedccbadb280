// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // The language switch submits as soon as a language is chosen; its button stays for keyboard users
  // who prefer it, and for browsers without JavaScript.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // A table wider than the screen (in the elders' mode, often) scrolls sideways in its box; that box must
  // take the keyboard focus so it can be scrolled without a mouse, and is named after the table.
  function scrollableTables() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      var table = box.querySelector("table");
      var caption = table && table.caption ? table.caption.textContent.trim() : "";
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (caption) box.setAttribute("aria-label", caption);
        else if (table && table.getAttribute("aria-label")) box.setAttribute("aria-label", table.getAttribute("aria-label"));
        else box.setAttribute("aria-label", document.title);
        box.setAttribute("data-made-region", "");
      } else if (!scrolls && box.hasAttribute("data-made-region")) {
        ["tabindex", "role", "aria-label", "data-made-region"].forEach(function (a) { box.removeAttribute(a); });
      }
    });
  }
  scrollableTables();
  window.addEventListener("resize", scrollableTables);
  // Close an open <details> menu with Escape and return focus to its summary.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });
})();

// Live notifications: the unread count in the header follows the server, and a new notification
// appears as a short message at the bottom of the page (announced to screen readers). While the socket is
// closed, or the server says live events are down (Redis unreachable: `live` false), the header says
// "reconnecting…", the page asks for the count every 15 s and reconnects with backoff until live again.
(function () {
  "use strict";
  var path = document.body.getAttribute("data-live-notifications");
  if (!path || !("WebSocket" in window)) return;
  var counter = document.querySelector("[data-unread-count]");
  var status = document.querySelector("[data-live-status]");
  var retry = 1000, poll = null;
  function setCount(n) {
    if (!counter) return;
    counter.textContent = n;
    counter.hidden = !n;
  }
  function setLive(live) { if (status) status.hidden = live; }
  function toast(title, url) {
    var box = document.createElement("div");
    box.className = "toast";
    box.setAttribute("role", "status");
    var link = document.createElement("a");
    link.href = url || "/notifications/";
    link.textContent = title;
    box.appendChild(link);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "button button-small";
    close.textContent = document.body.getAttribute("data-close-label") || "×";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
    document.body.appendChild(box);
    // In the elders' mode nothing goes away on a timer: the notice stays until it is closed.
    if (!document.documentElement.classList.contains("elder")) setTimeout(function () { box.remove(); }, 8000);
  }
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + path);
    socket.onopen = function () { retry = 1000; };
    socket.onmessage = function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (e) { return; }
      if (typeof data.unread === "number") setCount(data.unread);
      if (data.event === "notification.new") toast(data.title, data.url);
      if (data.event === "hello") {
        setLive(data.live !== false);
        clearInterval(poll); poll = null;
        if (data.live === false) {
          var polls = 0;
          poll = setInterval(function () {
            polls += 1;
            if (polls >= 4) { socket.close(); return; }  // about every minute: try for live events again
            socket.send("sync");
          }, 15000);
        }
      }
    };
    socket.onclose = function (event) {
      clearInterval(poll); poll = null;
      if (event.code === 4401) return;  // not signed in: do not retry
      setLive(false);
      setTimeout(connect, retry * (0.75 + Math.random() / 2));
      retry = Math.min(retry * 2, 30000);
    };
  }
  connect();
})();
