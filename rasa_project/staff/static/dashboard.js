// The First Contact Resolution dashboard: figures from /staff/api/dashboard as tables and as
// charts (Chart.js, served by this site; nothing is fetched from elsewhere).
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const KINDS = ["resolved", "not_resolved", "fallback", "handoff"];
  const charts = {};

  function rate(value) { return value === null ? "–" : Math.round(value * 100) + " %"; }

  function fillTable(id, rows) {
    $(id).querySelector("tbody").replaceChildren(...Object.entries(rows).map(([name, counts]) => {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = name;
      tr.append(th);
      for (const value of [counts.resolved, counts.not_resolved, rate(counts.rate),
        counts.fallback, counts.handoff]) {
        const td = document.createElement("td");
        td.textContent = String(value);
        tr.append(td);
      }
      return tr;
    }));
  }

  function draw(id, type, rows) {
    if (!window.Chart) { return; }
    if (charts[id]) { charts[id].destroy(); }
    const labels = { resolved: "Resolved", not_resolved: "Not resolved", fallback: "Fallbacks",
      handoff: "Handoffs" };
    charts[id] = new window.Chart($(id), {
      type: type,
      data: {
        labels: Object.keys(rows),
        datasets: KINDS.map((kind) => ({ label: labels[kind],
          data: Object.values(rows).map((counts) => counts[kind]) })),
      },
      options: { animation: false, responsive: true, scales: { y: { beginAtZero: true } } },
    });
  }

  async function show(event) {
    if (event) { event.preventDefault(); }
    const query = new URLSearchParams(new FormData($("period")));
    for (const [key, value] of [...query.entries()]) { if (!value) { query.delete(key); } }
    const response = await fetch("/staff/api/dashboard?" + query.toString(),
      { credentials: "same-origin" });
    if (response.status === 401) { window.location.assign("/staff/login"); return; }
    const figures = await response.json();
    if (!response.ok) { $("status").textContent = figures.error; return; }
    fillTable("topics", figures.topics);
    fillTable("days", figures.days);
    draw("topics-chart", "bar", figures.topics);
    draw("days-chart", "line", figures.days);
    document.body.dataset.ready = "true";
  }

  const params = new URLSearchParams(window.location.search);
  for (const name of ["from", "to", "language"]) {
    if (params.get(name)) { $(name).value = params.get(name); }
  }
  $("period").addEventListener("submit", show);
  show();
})();
