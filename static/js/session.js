// The live session page (member's phone, chair's console, and the room's screen): one WebSocket, the
// server's snapshot and numbered events, buttons only for what the rules allow this person now.
(function () {
  "use strict";
  var root = document.querySelector(".live[data-ws]");
  if (!root) return;
  var L = JSON.parse(document.getElementById("session-labels").textContent);
  var snap = JSON.parse(document.getElementById("session-snapshot").textContent);
  var lastSeq = snap.seq, offset = snap.server_now - Date.now() / 1000, socket = null, retry = 500, pending = null;
  var $ = function (sel) { return root.querySelector(sel); };

  function label(key) { return L[key] || key; }
  function el(tag, text, cls) { var e = document.createElement(tag); if (text != null) e.textContent = text; if (cls) e.className = cls; return e; }

  function render() {
    $("[data-phase]").textContent = label("phase_" + snap.phase);
    $("[data-quorum]").textContent = label("quorum_line").replace("{present}", snap.present.length)
      .replace("{members}", snap.members).replace("{quorum}", snap.quorum);
    $("[data-item]").textContent = snap.item === null || snap.item === undefined ? "" : (snap.item + 1) + ". " + snap.items[snap.item];
    var stack = $("[data-stack]"); stack.textContent = "";
    if (!snap.stack.length && !root.hasAttribute("data-screen")) stack.appendChild(el("p", label("no_motion"), "empty"));
    snap.stack.slice().reverse().forEach(function (m, i) {
      var p = el("p", null, i === 0 ? "motion current" : "motion");
      p.appendChild(el("span", label(m.kind), "badge"));
      p.appendChild(document.createTextNode(" " + (m.text || "") + " — " + m.mover + (m.seconded_by ? " / " + m.seconded_by : "") + " (" + label(m.status) + ")"));
      stack.appendChild(p);
    });
    var speaker = $("[data-speaker]");
    speaker.textContent = snap.speech ? snap.speech.name + " · " + label(snap.speech.side) : label("nobody");
    var queue = $("[data-queue]"); queue.textContent = "";
    snap.queue.forEach(function (r) { queue.appendChild(el("li", r.name + " · " + label(r.side))); });
    var queueEmpty = $("[data-queue-empty]"); if (queueEmpty) queueEmpty.hidden = snap.queue.length > 0;
    root.querySelectorAll("[data-agenda] li").forEach(function (li, i) {
      li.classList.toggle("current", i === snap.item);
      if (i === snap.item) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
    });
    var panel = $("[data-vote-panel]"), vote = $("[data-vote]");
    if (snap.vote) {
      panel.hidden = false;
      vote.textContent = snap.vote.cast + " / " + snap.vote.eligible + (snap.vote.mine ? " · " + label("voted") + ": " + label(snap.vote.mine) : "");
    } else { panel.hidden = true; vote.textContent = ""; }
    renderActions();
    tick();
  }

  // The person's actions, ordered by what they most likely need now: the one the rules expect next
  // (snap.expected) first and primary; then the others in order of use; the motions grouped under one
  // control; what cannot be undone (closing the session, adjourning, recording it as not held) apart, in
  // its own style and behind a confirmation step; leaving last.
  var ORDER = ["check_in", "yield_floor", "cast_vote", "second", "open_session", "resume", "rule_on_point", "grant_floor",
    "extend_time", "open_vote", "close_vote", "announce", "next_item", "request_floor:for", "request_floor:against",
    "withdraw_request", "withdraw_motion", "point_of_order"];
  var MOTIONS = ["make_motion:main", "make_motion:amend", "make_motion:previous_question", "make_motion:refer",
    "make_motion:postpone", "make_motion:recess", "make_motion:adjourn"];
  var IRREVERSIBLE = { close_session: "close_session", record_not_held: "record_not_held", "make_motion:adjourn": "adjourn" };
  var NEEDS_TEXT = { "make_motion:main": "motion_text", "make_motion:amend": "motion_text", point_of_order: "point_text" };
  var shownActions = null, motionsOpen = false, stepFor = null;
  var stepBox = $("[data-step]"), stepOpener = null;
  if (stepBox) stepBox.addEventListener("keydown", function (event) { if (event.key === "Escape") closeStep(); });

  function commandFor(name) {
    var parts = name.split(":"), command = { type: parts[0] };
    if (parts[0] === "make_motion") command.kind = parts[1];
    if (parts[0] === "request_floor") command.side = parts[1];
    if (parts[0] === "extend_time") command.seconds = 60;
    return command;
  }

  function actionButton(name, cls) {
    if (NEEDS_TEXT[name] || IRREVERSIBLE[name]) {
      var b = el("button", label(name), "button" + (cls ? " " + cls : ""));
      b.type = "button";
      b.setAttribute("aria-expanded", name === stepFor ? "true" : "false");
      b.addEventListener("click", function () { openStep(name, b); });
      return b;
    }
    return button(label(name), commandFor(name), cls);
  }

  function renderActions() {
    var box = $("[data-actions]"); if (!box || root.hasAttribute("data-screen")) return;
    // Rebuild only when what is allowed changes: a tap must never land on a button being replaced.
    var key = JSON.stringify([snap.allowed, snap.expected, snap.vote ? snap.vote.mine : null]);
    if (key === shownActions) return;
    shownActions = key;
    box.textContent = "";
    var allowed = (snap.allowed || []).filter(function (name) { return !(name === "cast_vote" && snap.vote && snap.vote.mine); });
    if (stepFor && allowed.indexOf(stepFor) < 0) closeStep();
    var expected = allowed.indexOf(snap.expected) >= 0 ? snap.expected : null;
    var main = el("div", null, "action-buttons");
    function add(name, primary) {
      if (name === "cast_vote") {
        var choices = el("div", null, "vote-choices" + (primary ? " action-primary" : ""));
        choices.setAttribute("role", "group");
        choices.setAttribute("aria-label", label("cast_vote"));
        ["yes", "no", "abstain"].forEach(function (choice) {
          choices.appendChild(button(label(choice), { type: "cast_vote", choice: choice }, "vote-" + choice + (primary ? " button-primary" : "")));
        });
        main.appendChild(choices);
      } else if (name === "rule_on_point") {
        main.appendChild(button(label("rule_on_point") + ": " + label("upheld"), { type: "rule_on_point", upheld: true }, primary ? "button-primary action-primary" : ""));
        main.appendChild(button(label("rule_on_point") + ": " + label("not_upheld"), { type: "rule_on_point", upheld: false }));
      } else {
        main.appendChild(actionButton(name, primary ? "button-primary action-primary" : ""));
      }
    }
    if (expected) add(expected, true);
    ORDER.forEach(function (name) { if (name !== expected && allowed.indexOf(name) >= 0) add(name, false); });
    box.appendChild(main);
    var motions = MOTIONS.filter(function (name) { return allowed.indexOf(name) >= 0; });
    if (motions.length) {
      var group = el("details", null, "action-group");
      group.open = motionsOpen;
      group.addEventListener("toggle", function () { motionsOpen = group.open; });
      group.appendChild(el("summary", label("motions"), "button"));
      var inner = el("div", null, "action-buttons");
      motions.forEach(function (name) { inner.appendChild(actionButton(name, IRREVERSIBLE[name] ? "button-irreversible" : "")); });
      group.appendChild(inner);
      box.appendChild(group);
    }
    var final = allowed.filter(function (name) { return name === "close_session" || name === "record_not_held"; });
    if (final.length) {
      var apart = el("div", null, "action-buttons action-irreversible");
      final.forEach(function (name) { apart.appendChild(actionButton(name, "button-irreversible")); });
      box.appendChild(apart);
    }
    var leave = $("[data-leave]");
    if (leave) {
      leave.textContent = "";
      if (allowed.indexOf("check_out") >= 0) leave.appendChild(button(label("check_out"), { type: "check_out" }, "button-small button-quiet"));
    }
  }

  // The second step of an action: the text of a motion or a point of order, or the confirmation of what
  // cannot be undone. It stays open until the server accepts the command (or the person cancels).
  function openStep(name, opener) {
    if (!stepBox) return;
    closeStep();
    stepFor = name; stepOpener = opener;
    if (opener) opener.setAttribute("aria-expanded", "true");
    var command = commandFor(name), focus;
    if (NEEDS_TEXT[name]) {
      var field = el("div", null, "field");
      var text = el("textarea");
      text.id = "action-text"; text.rows = 3; text.maxLength = 2000;
      var lab = el("label", label(NEEDS_TEXT[name])); lab.htmlFor = text.id;
      field.appendChild(lab); field.appendChild(text);
      stepBox.appendChild(field);
      var submit = el("button", label(name), "button button-primary");
      submit.type = "button";
      submit.addEventListener("click", function () { sendCommand(Object.assign({}, command, { text: text.value })); });
      stepBox.appendChild(submit);
      focus = text;
    } else {
      var kind = IRREVERSIBLE[name];
      stepBox.appendChild(el("p", label("confirm_" + kind), "action-warning"));
      var yes = el("button", label("confirmed_" + kind), "button button-danger");
      yes.type = "button";
      yes.addEventListener("click", function () { sendCommand(command); });
      stepBox.appendChild(yes);
      focus = yes;
    }
    var cancel = el("button", label("cancel"), "button");
    cancel.type = "button";
    cancel.addEventListener("click", function () {
      var back = stepOpener;
      closeStep();
      if (back && back.isConnected) back.focus();  // back to where the person was
    });
    stepBox.appendChild(cancel);
    stepBox.hidden = false;
    focus.focus();
  }
  function closeStep() {
    if (!stepBox) return;
    stepFor = null;
    stepBox.hidden = true;
    stepBox.textContent = "";
    root.querySelectorAll("[aria-expanded=true]").forEach(function (b) { b.setAttribute("aria-expanded", "false"); });
  }

  // The chair's decisions are refused if the chair's screen has not seen the latest event (two chairs
  // pressing at once, a stale screen); a member's own acts (checking in, asking for the floor, voting)
  // do not depend on what others just did.
  var CHAIR_DECISIONS = ["open_session", "record_not_held", "grant_floor", "extend_time", "rule_on_point", "open_vote",
    "close_vote", "announce", "resume", "next_item", "close_session", "hand_over_chair"];

  function sendCommand(command) {
    var message = { type: "command", command: command };
    if (CHAIR_DECISIONS.indexOf(command.type) >= 0) message.expected_seq = lastSeq;
    send(message);
  }
  function button(text, command, cls) {
    var b = el("button", text, "button" + (cls ? " " + cls : ""));
    b.type = "button";
    b.addEventListener("click", function () { sendCommand(command); });
    return b;
  }

  var outbox = [];
  function send(message) {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(message));
    else outbox.push(message);  // sent as soon as the connection is (re)opened
  }
  function askSnapshot() { clearTimeout(pending); pending = setTimeout(function () { send({ type: "snapshot" }); }, 30); }

  function onEvents(events, state) {
    if (!events.length && !state) return;  // an answer to a heartbeat: nothing was missed
    // A gap in the sequence numbers (events published while the bus was down, or lost on the way): ask
    // for everything after the last one applied; the record answers in order.
    if (events.length && events[0].seq > lastSeq + 1) { send({ type: "hello", last_seq: lastSeq }); return; }
    var log = $("[data-log]");
    events.forEach(function (e) {
      if (e.seq <= lastSeq) return;
      lastSeq = e.seq;
      if (log) log.appendChild(el("li", "#" + e.seq + " " + e.type));
      if (e.type === "speech_ended" && e.reason === "time_up") showNotice(label("time_up").replace("{name}", nameOf(e.member)));
      if (["floor_granted", "vote_opened", "item_opened", "session_closed"].indexOf(e.type) >= 0) showNotice(null);
      if (e.type === "result_announced") {
        var banner = $("[data-result]");
        banner.hidden = false;
        banner.textContent = (e.adopted ? label("adopted") : label("rejected")) + (e.text ? ": " + e.text : "") +
          " (" + label("yes") + " " + e.yes + " · " + label("no") + " " + e.no + " · " + label("abstain") + " " + e.abstain + ")";
      }
    });
    if (state) {
      // The public view came with the events; keep this person's own role, buttons and ballot.
      var mine = { role: snap.role, me: snap.me, allowed: snap.allowed, expected: snap.expected, vote: snap.vote };
      snap = state;
      snap.role = mine.role; snap.me = mine.me; snap.allowed = mine.allowed; snap.expected = mine.expected;
      if (snap.vote && mine.vote && mine.vote.motion === snap.vote.motion) snap.vote.mine = mine.vote.mine;
      lastSeq = Math.max(lastSeq, state.seq);
      offset = state.server_now - Date.now() / 1000;
      render();
      if (snap.role !== "public") askSnapshot();  // only members need their own buttons again
    } else {
      askSnapshot();
    }
  }

  function nameOf(id) {
    if (snap.speech && snap.speech.id === id) return snap.speech.name;
    var person = snap.present.filter(function (p) { return p.id === id; })[0];
    return person ? person.name : id;
  }
  function showNotice(text) {
    var notice = $("[data-notice]"); if (!notice) return;
    notice.hidden = !text;
    notice.textContent = text || "";
  }

  // Connection state: "reconnecting…" while the socket is closed or the server says its live events are
  // down (Redis unreachable, {"type": "status", "live": false}); meanwhile the page asks the record for
  // what it missed and reconnects now and then until live events flow again. A heartbeat `hello` every
  // 30 s also catches events published while the bus was down when no later event reveals the gap.
  var degraded = null, heartbeat = null;
  function showConn(on) { var c = $("[data-conn]"); if (c) { c.hidden = !on; if (on) c.textContent = label("reconnecting"); } }
  function stopTimers() { clearInterval(degraded); degraded = null; clearInterval(heartbeat); heartbeat = null; }
  function onStatus(live) {
    clearInterval(degraded); degraded = null;
    showConn(!live);
    if (live) return;
    var polls = 0;
    degraded = setInterval(function () {
      polls += 1;
      if (polls >= 6 && socket) { socket.close(); return; }  // about every 30 s: try for live events again
      send({ type: "hello", last_seq: lastSeq });
    }, 5000);
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.getAttribute("data-ws"));
    socket.onopen = function () {
      retry = 500;
      showConn(false);
      send({ type: "hello", last_seq: lastSeq });
      outbox.splice(0).forEach(send);
      heartbeat = setInterval(function () { send({ type: "hello", last_seq: lastSeq }); }, 30000);
    };
    socket.onmessage = function (message) {
      var data = JSON.parse(message.data);
      if (data.type === "snapshot") { snap = data.state; lastSeq = Math.max(lastSeq, snap.seq); offset = snap.server_now - Date.now() / 1000; render(); }
      else if (data.type === "events") onEvents(data.events, data.state);
      else if (data.type === "status") onStatus(data.live);
      else if (data.type === "error") {
        var err = $("[data-error]"); if (err) { err.hidden = false; err.textContent = data.message; }
        askSnapshot();
      } else if (data.type === "ok") {
        var e2 = $("[data-error]"); if (e2) e2.hidden = true;
        closeStep();
      }
    };
    socket.onclose = function (event) {
      stopTimers();
      if (event.code === 4403) return;
      showConn(true);
      // Backoff with jitter, so a thousand screens do not all come back in the same instant.
      setTimeout(connect, retry * (0.75 + Math.random() / 2)); retry = Math.min(retry * 2, 10000);
    };
  }

  // The server owns the clock: the countdown is its start time and limit, corrected by the offset.
  function tick() {
    var timer = $("[data-timer]"); if (!timer) return;
    if (!snap.speech) { timer.textContent = ""; return; }
    var now = Date.now() / 1000 + offset;
    var left = Math.max(0, Math.ceil(snap.speech.started_at + snap.speech.limit - now));
    timer.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    timer.classList.toggle("timer-low", left <= 15);
  }
  setInterval(tick, 250);

  render();
  connect();
})();
