// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // The language switch submits as soon as a language is chosen; its button stays for keyboard users
  // who prefer it, and for browsers without JavaScript.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
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
    document.body.appendChild(box);
    setTimeout(function () { box.remove(); }, 8000);
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
