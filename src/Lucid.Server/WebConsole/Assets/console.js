// The console's only script: timeline zoom, and following a running session live over its event stream.
(function () {
  "use strict";
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var lanes = document.getElementById(button.getAttribute("aria-controls"));
      var now = parseFloat(lanes.dataset.scale || "1");
      var next = button.dataset.zoom === "in" ? Math.min(now * 2, 64) : button.dataset.zoom === "out" ? Math.max(now / 2, 1) : 1;
      lanes.dataset.scale = String(next);
      lanes.style.width = (next * 100) + "%";
      var label = document.getElementById("zoom-level");
      if (label) { label.textContent = next + "×"; }
    });
  });

  var live = document.querySelector("[data-live-stream]");
  if (!live || typeof EventSource === "undefined") { return; }
  var list = document.getElementById(live.getAttribute("data-live-target"));
  var status = document.getElementById("live-status");
  var seen = parseInt(live.getAttribute("data-after") || "0", 10);
  // event_deltas: a message being written shows as it streams, and its committed event then takes its place.
  var source = new EventSource(live.getAttribute("data-live-stream") + "?after=" + seen + "&event_deltas[]=agent.message");
  var previews = {};
  source.addEventListener("event_start", function (message) {
    var start = JSON.parse(message.data).event;
    if (!start || previews[start.id]) { return; }
    var item = document.createElement("div");
    item.className = "ev ev-agent preview";
    item.setAttribute("data-preview", start.id);
    var head = document.createElement("div");
    head.className = "ev-head";
    head.textContent = start.type + " · being written";
    var body = document.createElement("div");
    body.className = "text";
    item.appendChild(head);
    item.appendChild(body);
    list.appendChild(item);
    previews[start.id] = body;
  });
  source.addEventListener("event_delta", function (message) {
    var delta = JSON.parse(message.data);
    var body = previews[delta.event_id];
    if (body && delta.delta && delta.delta.content && delta.delta.content.text) { body.textContent += delta.delta.content.text; }
  });
  if (status) { status.textContent = "Live: following new events."; }
  // Frames are named by event type, so each API type gets a listener.
  (live.getAttribute("data-types") || "").split(" ").forEach(function (type) {
    if (type) { source.addEventListener(type, append); }
  });
  function append(message) {
    var sequence = parseInt(message.lastEventId || "0", 10);
    if (sequence && sequence <= seen) { return; }
    seen = sequence || seen;
    var event = JSON.parse(message.data);
    if (previews[event.id]) {
      previews[event.id].parentNode.remove();
      delete previews[event.id];
    }
    var item = document.createElement("div");
    item.className = "ev ev-" + String(event.type).split(".")[0];
    item.setAttribute("data-type", event.type);
    var head = document.createElement("div");
    head.className = "ev-head";
    head.textContent = event.type + " · " + (event.processed_at || "");
    item.appendChild(head);
    var text = summary(event);
    if (text) {
      var body = document.createElement("div");
      body.className = "text";
      body.textContent = text;
      item.appendChild(body);
    }
    list.appendChild(item);
    if (event.type === "session.status_idle" || event.type === "session.status_terminated") {
      if (status) { status.textContent = "Live: the session is " + event.type.split("_").pop() + "; reload for the timeline."; }
    }
  }
  source.onerror = function () { if (status) { status.textContent = "Live: reconnecting…"; } };

  function summary(event) {
    if (Array.isArray(event.content)) {
      return event.content.map(function (block) { return block.text || ""; }).join("");
    }
    if (event.name) { return event.name + (event.input ? " " + JSON.stringify(event.input) : ""); }
    if (event.error && event.error.message) { return event.error.message; }
    return "";
  }
})();
