/* A live session's board, phones and controls: conditional polls (live.polling answers 304 while
   nothing changed), the server's own HTML put in place, changes announced politely to screen readers,
   the speaker's timer ticking. Without this script every page still works by reloading and its forms. */
(function () {
  "use strict";

  var announcer = document.getElementById("live-announcer");
  var FULL_EVERY_MS = 120000; // a full answer now and then heals a cache that lost a version
  var MAX_BACKOFF_MS = 10000;

  function say(text) {
    if (!announcer || !text) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function fill(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (_m, name) { return values[name]; });
  }

  function stateOf(region) {
    var el = region.firstElementChild;
    while (el && !el.hasAttribute("data-version")) el = el.nextElementSibling;
    return el;
  }

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    var rest = s % 60;
    return Math.floor(s / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tickTimers() {
    var timers = document.querySelectorAll(".live-timer[data-elapsed]");
    for (var i = 0; i < timers.length; i++) {
      var t = timers[i];
      var elapsed = parseInt(t.getAttribute("data-elapsed"), 10) + 1;
      t.setAttribute("data-elapsed", String(elapsed));
      t.textContent = clock(elapsed);
      if (elapsed > parseInt(t.getAttribute("data-limit"), 10)) t.classList.add("live-over");
    }
  }

  // A phone's list is drawn once for every phone of the session (live.phone_views); this phone's own dots
  // come beside it (#phone-mine) and are put on here: the count under each item, the value each button
  // sends (a count, not a step: a repeated answer votes once) and which buttons can be pressed.
  function putMine(region) {
    var mine = region.querySelector("#phone-mine");
    if (!mine) return;
    var left = parseInt(mine.getAttribute("data-left"), 10) || 0;
    var counts = {};
    var own = mine.querySelectorAll("[data-item]");
    for (var i = 0; i < own.length; i++) {
      var pk = own[i].getAttribute("data-item");
      counts[pk] = parseInt(own[i].getAttribute("data-n"), 10) || 0;
      var label = document.getElementById("mine-" + pk);
      if (label) label.textContent = own[i].textContent;
    }
    var leftText = mine.querySelector("[data-left-text]");
    var dotsLeft = document.getElementById("dots-left");
    if (leftText && dotsLeft) dotsLeft.textContent = leftText.textContent;
    var rows = region.querySelectorAll("[data-vote-item]");
    for (var j = 0; j < rows.length; j++) {
      var item = rows[j].getAttribute("data-vote-item");
      var n = counts[item] || 0;
      var less = document.getElementById("less-" + item);
      var more = document.getElementById("more-" + item);
      if (less) { less.value = item + ":" + (n - 1); less.disabled = n <= 0; }
      if (more) { more.value = item + ":" + (n + 1); more.disabled = left <= 0; }
    }
  }

  // What this phone has of its own (its hand, its items, the round it has dots in), as the server last
  // said in an answer (data-own-*); sent with each poll, so that a phone with nothing of its own in the
  // new state gets the drawing every such phone gets (live.phone_views). An answer that does not say a
  // part leaves it as it was.
  var OWN_PARTS = ["hand", "items", "dots"];

  function readOwn(root, own) {
    var marked = root.querySelectorAll("[data-own-hand], [data-own-items], [data-own-dots]");
    for (var i = 0; i < marked.length; i++) {
      for (var j = 0; j < OWN_PARTS.length; j++) {
        var value = marked[i].getAttribute("data-own-" + OWN_PARTS[j]);
        if (value !== null) own[OWN_PARTS[j]] = value;
      }
    }
  }

  function ownHeader(own) {
    var parts = [];
    for (var j = 0; j < OWN_PARTS.length; j++) {
      if (!(OWN_PARTS[j] in own)) return null;
      parts.push(OWN_PARTS[j] + "=" + own[OWN_PARTS[j]]);
    }
    return parts.join(" ");
  }

  function Region(region) {
    this.region = region;
    this.url = region.getAttribute("data-live-poll");
    this.interval = parseInt(region.getAttribute("data-live-interval"), 10) || 2000;
    this.version = region.getAttribute("data-live-version");
    this.pending = null;
    this.failures = 0;
    this.lastFull = Date.now();
    this.heldSaid = false;
    this.csrf = region.getAttribute("data-live-csrf");
    this.pass = region.getAttribute("data-live-pass");
    this.own = {};
    readOwn(region, this.own);
    putMine(region);
    var state = stateOf(region);
    this.phase = state ? state.getAttribute("data-phase") : "";
    this.items = state ? state.getAttribute("data-items") : "";
    this.closed = state && state.getAttribute("data-closed") === "1";
    var self = this;
    region.addEventListener("focusout", function () {
      window.setTimeout(function () { self.release(); }, 0);
    });
    region.addEventListener("submit", function (event) { self.submit(event); });
  }

  // Updates wait while someone is writing or choosing inside the region (their text must not vanish);
  // on a button, the update comes and the focus returns to the same button if it is still there.
  Region.prototype.focusInside = function () {
    var active = document.activeElement;
    if (!active || active === document.body || !this.region.contains(active)) return false;
    var tag = active.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    return tag === "INPUT" && !/^(hidden|submit|button|checkbox|radio)$/.test(active.type);
  };

  Region.prototype.put = function (html, keepFocusId) {
    var before = { phase: this.phase, items: this.items };
    this.region.innerHTML = html;
    readOwn(this.region, this.own);
    putMine(this.region);
    var state = stateOf(this.region);
    if (!state) return;
    this.version = state.getAttribute("data-version");
    // The server may ask for a slower pace in some phases (the board while voting: LiveSession).
    var pace = parseInt(state.getAttribute("data-live-interval"), 10);
    if (pace) this.interval = pace;
    this.phase = state.getAttribute("data-phase");
    this.items = state.getAttribute("data-items");
    this.closed = state.getAttribute("data-closed") === "1";
    if (keepFocusId) {
      var again = document.getElementById(keepFocusId);
      if (again && !again.disabled) again.focus();
      else {
        var alert = this.region.querySelector("[role=alert]");
        if (alert) { alert.setAttribute("tabindex", "-1"); alert.focus(); }
      }
    }
    if (before.phase !== this.phase) {
      say(fill(announcer && announcer.getAttribute("data-msg-phase"), { phase: state.getAttribute("data-phase-label") }));
    } else if (before.items !== this.items) {
      say(fill(announcer && announcer.getAttribute("data-msg-items"), { count: this.items }));
    }
  };

  // A vote's answer is the phone's dots alone (#phone-mine): put in place of the old ones, the rest of
  // the page and the focus left as they are. A held poll drawn before the vote would bring the old dots
  // back, so it is dropped and the next poll asks for the whole state.
  Region.prototype.putPart = function (id, html, form, submitter) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("#" + id);
    var old = this.region.querySelector("#" + id);
    form.removeAttribute("data-busy");
    if (!fresh || !old || this.pending !== null) {
      this.pending = null;
      this.version = null;
    }
    if (!fresh || !old) {
      if (submitter) submitter.disabled = false;
      return;
    }
    old.parentNode.replaceChild(fresh, old);
    readOwn(this.region, this.own);
    putMine(this.region);
    if (submitter && !submitter.disabled) submitter.focus();
  };

  Region.prototype.release = function () {
    if (this.pending !== null && !this.focusInside()) {
      var html = this.pending;
      this.pending = null;
      this.heldSaid = false;
      this.put(html, null);
    }
  };

  Region.prototype.poll = function () {
    var self = this;
    if (self.closed) return;
    var headers = { "X-Live-Fetch": "1" };
    var full = Date.now() - self.lastFull > FULL_EVERY_MS;
    if (!full && self.version) headers["If-None-Match"] = '"live-' + self.version + '"';
    var own = self.pass ? ownHeader(self.own) : null;
    if (own) { headers["X-Live-Own"] = own; headers["X-Live-Pass"] = self.pass; }
    fetch(self.url, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (self.failures) say(announcer && announcer.getAttribute("data-msg-online"));
        self.failures = 0;
        if (full) self.lastFull = Date.now();
        if (response.status === 304) return null;
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        if (html === null || html === undefined) return;
        if (self.focusInside()) {
          self.pending = html;
          if (!self.heldSaid) { self.heldSaid = true; say(announcer && announcer.getAttribute("data-msg-held")); }
        } else {
          var active = document.activeElement;
          var keep = active && active.id && self.region.contains(active) ? active.id : null;
          self.put(html, keep);
        }
      })
      .catch(function () {
        if (self.failures === 0) say(announcer && announcer.getAttribute("data-msg-offline"));
        self.failures += 1;
      })
      .then(function () {
        var wait = self.failures ? Math.min(MAX_BACKOFF_MS, self.interval * Math.pow(2, self.failures)) : self.interval;
        window.setTimeout(function () { self.poll(); }, wait);
      });
  };

  Region.prototype.submit = function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-live-form")) return;
    event.preventDefault();
    var self = this;
    var submitter = event.submitter || form.querySelector("[type=submit]");
    if (form.getAttribute("data-busy") === "1") return; // a double tap sends once
    form.setAttribute("data-busy", "1");
    if (submitter) submitter.disabled = true;
    var body = new FormData(form);
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    // The phones' shared drawing carries no form token (it is one phone's secret): the page's goes along.
    var headers = { "X-Live-Fetch": "1" };
    if (self.csrf) headers["X-CSRFToken"] = self.csrf;
    fetch(form.action, {
      method: "POST",
      body: body,
      headers: headers,
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.redirected || response.status >= 500) throw new Error(String(response.status));
        var part = response.headers.get("X-Live-Part");
        return response.text().then(function (html) { return { html: html, part: part }; });
      })
      .then(function (answer) {
        if (answer.part) {
          self.putPart(answer.part, answer.html, form, submitter);
          return;
        }
        self.pending = null;
        self.put(answer.html, submitter && submitter.id ? submitter.id : null);
      })
      .catch(function () {
        // The connection is gone: send the form the ordinary way, which a returning phone repeats
        // safely (dots are set, not added; an item is added once).
        form.removeAttribute("data-live-form");
        if (self.csrf && !form.querySelector("[name=csrfmiddlewaretoken]")) {
          var token = document.createElement("input");
          token.type = "hidden";
          token.name = "csrfmiddlewaretoken";
          token.value = self.csrf;
          form.appendChild(token);
        }
        if (submitter && submitter.name) {
          var chosen = document.createElement("input");
          chosen.type = "hidden";
          chosen.name = submitter.name;
          chosen.value = submitter.value;
          form.appendChild(chosen);
        }
        form.submit();
      });
  };

  var regions = document.querySelectorAll("[data-live-poll]");
  for (var i = 0; i < regions.length; i++) {
    var r = new Region(regions[i]);
    (function (region) {
      window.setTimeout(function () { region.poll(); }, region.interval);
    })(r);
  }
  window.setInterval(tickTimers, 1000);
})();
