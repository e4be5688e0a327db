// The chat widget: socket.io to Rasa, REST when the socket cannot connect. Everything a person
// types or the assistant says is inserted as text (textContent), never as markup.
// Its own messages are written in English as `_("...")`; the page carries their translations in
// its language (a JSON data block from the message catalog, rasa_project/web/i18n.py).
(function () {
  "use strict";

  var SESSION_KEY = "uscis-chat-session";
  var LOG_KEY = "uscis-chat-log";
  var PRIVACY_KEY = "uscis-chat-privacy-ok";
  var REPLY_TIMEOUT_MS = 15000;
  var SOCKET_CONNECT_TIMEOUT_MS = 4000;
  // Web addresses, email addresses and U.S. phone numbers in replies become links.
  var LINKABLE = /([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})|(https?:\/\/[^\s]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.gov(?:\/[A-Za-z0-9\/_-]*)?)|(\b1-\d{3}-[0-9A-Z]{3}-[0-9A-Z]{4}\b)/g;

  var config = null;
  var socket = null;
  var mode = "connecting"; // "socket", "rest"
  var replyTimer = null;
  var lastSent = "";  // what the customer last typed, put back in the box if it was turned away
  var el = {};
  var l10n = { language: "en", messages: {}, contactCenter: {} };

  function $(id) { return document.getElementById(id); }

  function _(text) { return l10n.messages[text] || text; }

  // "{name}" in a message becomes values.name.
  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  // Sent with every message: the assistant answers an ambiguous first message in this language.
  function metadata() { return { page_language: l10n.language }; }

  // The conversation id is issued by the server (signed): by the website (POST /session) or by
  // the socket's session_confirm, which replaces an id the server does not recognise.
  function sessionId() { return localStorage.getItem(SESSION_KEY); }

  function keepSessionId(id) {
    if (typeof id === "string" && id) { localStorage.setItem(SESSION_KEY, id); }
  }

  function ensureSession() {
    if (sessionId()) { return Promise.resolve(sessionId()); }
    return fetch("/session", { method: "POST" }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (body) {
      if (!sessionId()) { keepSessionId(body.sessionId); }
      return sessionId();
    });
  }

  function savedLog() {
    try { return JSON.parse(localStorage.getItem(LOG_KEY) || "[]"); } catch (e) { return []; }
  }

  function remember(entry) {
    var log = savedLog();
    log.push(entry);
    localStorage.setItem(LOG_KEY, JSON.stringify(log.slice(-200)));
  }

  function appendText(parent, text) {
    var lines = String(text).split("\n");
    lines.forEach(function (line, index) {
      if (index > 0) { parent.appendChild(document.createElement("br")); }
      appendLinked(parent, line);
    });
  }

  function appendLinked(parent, line) {
    var last = 0;
    line.replace(LINKABLE, function (match, email, web, phone, offset) {
      parent.appendChild(document.createTextNode(line.slice(last, offset)));
      var link = document.createElement("a");
      link.textContent = match;
      if (email) { link.href = "mailto:" + email; }
      else if (phone) { link.href = "tel:+" + dialable(phone); }
      else {
        link.href = /^https?:\/\//.test(web) ? web : "https://" + web;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
      }
      parent.appendChild(link);
      last = offset + match.length;
      return match;
    });
    parent.appendChild(document.createTextNode(line.slice(last)));
  }

  // Vanity numbers (letters for digits) are dialled as the keypad's digits: ABC -> 222.
  function dialable(phone) {
    var keypad = "22233344455566677778889999";
    return phone.replace(/[^0-9A-Z]/g, "").replace(/[A-Z]/g, function (letter) {
      return keypad.charAt(letter.charCodeAt(0) - 65);
    });
  }

  function show(entry, restoring) {
    var item = document.createElement("div");
    item.className = "message " + (entry.from === "user" ? "from-user" : "from-bot") +
      (entry.agent ? " from-agent" : "");
    // A reply in another language than the page's is marked as such (WCAG 3.1.2, language of
    // parts), so a screen reader reads a Spanish answer on the English page with a Spanish
    // voice; the widget's own words in it ("Assistant:") stay in the page's language.
    var otherLanguage = entry.lang && entry.lang !== l10n.language;
    if (otherLanguage) { item.lang = entry.lang; }
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = entry.from === "user" ? _("You said: ")
      : entry.agent ? _("USCIS agent: ") : _("Assistant: ");
    if (otherLanguage) { who.lang = l10n.language; }
    item.appendChild(who);
    var body = document.createElement("p");
    appendText(body, entry.text || "");
    item.appendChild(body);
    if (entry.buttons && entry.buttons.length && !entry.used) {
      var group = document.createElement("div");
      group.className = "quick-replies";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", _("Suggested answers"));
      if (otherLanguage) { group.lang = l10n.language; }
      entry.buttons.forEach(function (button) {
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = button.title;
        if (otherLanguage) { b.lang = entry.lang; }
        b.addEventListener("click", function () {
          entry.used = true;
          markButtonsUsed();
          group.remove();
          send(button.payload, button.title);
        });
        group.appendChild(b);
      });
      item.appendChild(group);
    }
    el.log.appendChild(item);
    el.log.scrollTop = el.log.scrollHeight;
    if (!restoring) { remember(entry); }
  }

  function markButtonsUsed() {
    var log = savedLog();
    log.forEach(function (entry) { if (entry.buttons) { entry.used = true; } });
    localStorage.setItem(LOG_KEY, JSON.stringify(log));
  }

  function typing(on) {
    el.typing.textContent = on ? _("The assistant is typing…") : "";
    el.typing.classList.toggle("active", !!on);
  }

  function status(text) { el.status.textContent = text || ""; }

  function botMessage(message) {
    clearTimeout(replyTimer);
    typing(false);
    status("");
    if (!message) { return; }
    if (message.busy) { busy(lastSent); return; }
    if (message.text || (message.buttons && message.buttons.length)) {
      var said = message.metadata || {};
      show({ from: "bot", text: message.text || "", buttons: message.buttons || message.quick_replies || [],
        agent: said.from === "agent", lang: /^[a-z]{2}$/.test(said.language) ? said.language : "" });
    }
  }

  function unreachable(text) {
    clearTimeout(replyTimer);
    typing(false);
    if (text && !el.input.value) { el.input.value = text; }  // keep the customer's unsent text
    status(format(_("The assistant can't be reached right now. Your message was not sent; it " +
      "is still in the box. Try again in a moment, or call the {name} at {phone}."),
      l10n.contactCenter));
  }

  // The assistant is saturated (Rasa's 503, a proxy's 429): the message was not handled. The
  // widget says so in the page's language (the server's own text may be in another).
  function busy(unsent) {
    clearTimeout(replyTimer);
    typing(false);
    if (unsent && !el.input.value) { el.input.value = unsent; }  // keep the customer's text
    status(format(_("We are busy right now. Please try again in a moment, or call the {name} at " +
      "{phone}. Your message is still in the box."), l10n.contactCenter));
  }

  function noAnswer() {
    botMessage({ text: format(_("Sorry, no answer came back just now. Please try again in a " +
      "moment. If it keeps happening, call the {name} at {phone}."), l10n.contactCenter) });
  }

  function sendRest(payload, shownText) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, 20000);
    return ensureSession().then(function () {
      return fetch(config.rasaUrl + config.restPath, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sessionId(), message: payload, metadata: metadata() }),
        signal: controller.signal
      });
    }).then(function (response) {
      clearTimeout(timer);
      if (response.status === 503 || response.status === 429) {
        busy(shownText);
        return null;
      }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (replies) {
      if (!replies) { return; }  // turned away, shown already
      if (!replies.length) { noAnswer(); }
      replies.forEach(botMessage);
    }).catch(function () {
      clearTimeout(timer);
      unreachable(shownText);
      throw new Error("unreachable");
    });
  }

  function send(payload, shownText) {
    var text = shownText || payload;
    if (!payload || !payload.trim()) { return; }
    lastSent = text;
    show({ from: "user", text: text });
    typing(true);
    status("");
    if (mode === "socket" && socket && socket.connected) {
      socket.emit("user_uttered", { message: payload, session_id: sessionId(), metadata: metadata() });
      replyTimer = setTimeout(noAnswer, REPLY_TIMEOUT_MS);
    } else {
      sendRest(payload, text).catch(function () { /* shown already */ });
    }
  }

  function connectSocket() {
    if (!window.io) { mode = "rest"; return; }
    // The websocket transport only: one connection, so it stays on one Rasa replica behind
    // the proxy. No rasaUrl means the page's own origin (the front door).
    var options = {
      path: config.socketPath, transports: ["websocket"], reconnectionAttempts: 5,
      timeout: SOCKET_CONNECT_TIMEOUT_MS
    };
    socket = config.rasaUrl ? window.io(config.rasaUrl, options) : window.io(options);
    var fallback = setTimeout(function () { if (mode !== "socket") { mode = "rest"; } },
      SOCKET_CONNECT_TIMEOUT_MS);
    socket.on("connect", function () {
      clearTimeout(fallback);
      socket.emit("session_request", { session_id: sessionId() });
    });
    // Messages go on the socket only once the server has confirmed which conversation it is.
    socket.on("session_confirm", function (id) {
      keepSessionId(id);
      mode = "socket";
      el.composer.dataset.transport = "socket";
    });
    socket.on("connect_error", function () { mode = "rest"; el.composer.dataset.transport = "rest"; });
    socket.on("disconnect", function () { mode = "rest"; el.composer.dataset.transport = "rest"; });
    socket.on("bot_uttered", botMessage);
    // During a live-agent handoff a message goes to the agent, who may take a while to answer.
    socket.on("message_kept", function () { clearTimeout(replyTimer); typing(false); });
  }

  function privacyNotice() {
    if (localStorage.getItem(PRIVACY_KEY)) { return; }
    el.privacy.hidden = false;
    $("privacy-ok").focus();
    $("privacy-ok").addEventListener("click", function () {
      localStorage.setItem(PRIVACY_KEY, "1");
      el.privacy.hidden = true;
      el.input.focus();
    });
  }

  function start(loaded) {
    config = loaded;
    savedLog().forEach(function (entry) { show(entry, true); });
    privacyNotice();
    ensureSession().catch(function () { /* the socket issues one instead */ }).then(connectSocket);
    el.composer.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = el.input.value;
      if (!text.trim()) { status(_("Please type a question first.")); return; }
      el.input.value = "";
      send(text);
    });
    $("clear").addEventListener("click", function () {
      localStorage.removeItem(LOG_KEY);
      localStorage.removeItem(SESSION_KEY);
      el.log.textContent = "";
      if (socket) { socket.disconnect(); }
      ensureSession().catch(function () { /* the socket issues one */ }).then(connectSocket);
      el.input.focus();
    });
    document.body.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", function () {
    el = { log: $("log"), typing: $("typing"), status: $("status"), input: $("chat-input"),
           composer: $("composer"), privacy: $("privacy") };
    l10n = JSON.parse($("widget-messages").textContent);
    fetch("/config.json").then(function (r) { return r.json(); }).then(start).catch(function () {
      status(_("The chat could not start. Please reload the page."));
    });
  });
})();
