// The staff console: who is signed in, the queue of customers waiting for a person (polled),
// and the chat with the customer an agent has taken. Every state-changing call carries the
// session's CSRF token in X-CSRF-Token.
"use strict";

(function () {
  let csrf = "";
  let current = null;   // the conversation this agent has taken
  let shown = 0;        // how many of its messages are on screen
  const $ = (id) => document.getElementById(id);

  async function api(path, method, body) {
    const response = await fetch(path, {
      method: method || "GET",
      credentials: "same-origin",
      headers: Object.assign({ "Content-Type": "application/json" },
        method && method !== "GET" ? { "X-CSRF-Token": csrf } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 401) { window.location.assign("/staff/login"); }
    if (!response.ok) { throw new Error((await response.json()).error || response.statusText); }
    return response.json();
  }

  function say(text) { $("status").textContent = text; }

  function line(message) {
    const p = document.createElement("p");
    p.className = message.from === "agent" ? "agent from-agent" : "from-" + message.from;
    p.textContent = (message.from === "customer" ? "Customer: " :
      message.from === "agent" ? "You: " : "Assistant: ") + message.text;
    return p;
  }

  async function refreshQueue() {
    let waiting = [];
    try { waiting = await api("/staff/api/queue"); } catch (error) { return; }
    const list = $("queue");
    list.replaceChildren(...waiting.map((item) => {
      const li = document.createElement("li");
      li.dataset.id = item.id;
      li.textContent = (item.agent ? "[with " + item.agent + "] " : "") + item.summary + " (waiting " + item.waiting_minutes + " min) ";
      const take = document.createElement("button");
      take.type = "button";
      take.textContent = "Take this conversation";
      take.addEventListener("click", () => takeConversation(item.id));
      li.append(take);
      return li;
    }));
    $("queue-empty").hidden = waiting.length > 0;
  }

  async function takeConversation(id) {
    try {
      await api("/staff/api/handoffs/" + encodeURIComponent(id) + "/claim", "POST", {});
    } catch (error) { say(error.message); return; }
    current = id;
    shown = 0;
    $("history").replaceChildren();
    $("conversation").hidden = false;
    await refreshConversation();
    $("reply-text").focus();
  }

  async function refreshConversation() {
    if (!current) { return; }
    let data;
    try {
      data = await api("/staff/api/handoffs/" + encodeURIComponent(current));
    } catch (error) { say(error.message); current = null; return; }
    const messages = data.history.concat(data.messages);
    for (const message of messages.slice(shown)) { $("history").append(line(message)); }
    shown = messages.length;
  }

  async function listConversations(event) {
    if (event) { event.preventDefault(); }
    const query = new URLSearchParams(new FormData($("review-filter")));
    for (const [key, value] of [...query.entries()]) { if (!value) { query.delete(key); } }
    let found = [];
    try { found = await api("/staff/api/conversations?" + query.toString()); }
    catch (error) { say(error.message); return; }
    $("review-list").replaceChildren(...found.map((item) => {
      const li = document.createElement("li");
      const read = document.createElement("button");
      read.type = "button";
      read.textContent = (item.first_message || "(no message)") + " — " + item.intents.join(", ");
      read.addEventListener("click", () => readConversation(item.id));
      li.append(read);
      return li;
    }));
  }

  async function readConversation(id) {
    const data = await api("/staff/api/conversations/" + encodeURIComponent(id));
    $("review-one").replaceChildren(...data.messages.concat(data.handoff).map(line));
    $("review-one").hidden = false;
    const base = "/staff/api/conversations/" + encodeURIComponent(id);
    $("export-story").href = base + "/story";
    $("export-case").href = base + "/case";
    $("review-exports").hidden = $("role").textContent !== "admin";
  }

  async function start() {
    const me = await api("/staff/api/me");
    csrf = me.csrf;
    $("who").textContent = me.name;
    $("role").textContent = me.role;
    $("logout").addEventListener("click", async () => {
      await fetch("/staff/logout", { method: "POST", headers: { "X-CSRF-Token": csrf } });
      window.location.assign("/staff/login");
    });
    $("reply").addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = $("reply-text").value.trim();
      if (!text || !current) { return; }
      try {
        await api("/staff/api/handoffs/" + encodeURIComponent(current) + "/messages", "POST",
          { text });
        $("reply-text").value = "";
        await refreshConversation();
      } catch (error) { say(error.message); }
    });
    $("end").addEventListener("click", async () => {
      if (!current) { return; }
      try {
        await api("/staff/api/handoffs/" + encodeURIComponent(current) + "/end", "POST", {});
        say("The customer is back with the assistant.");
      } catch (error) { say(error.message); }
      current = null;
      $("conversation").hidden = true;
    });
    $("review-filter").addEventListener("submit", listConversations);
    await refreshQueue();
    // Polling keeps the claim alive too: a closed browser stops it, and the claim expires.
    window.setInterval(() => { refreshQueue(); refreshConversation(); }, 2000);
    document.body.dataset.ready = "true";
  }

  start();
})();
