// The analytics page: signs in (a dev token with the analytics role in dev mode, else a pasted token), reads the
// daily figures for a range of days (?from=&to= in the address, two weeks by default) and draws them with Chart.js
// (served as a webjar). No build step. What it drew is on window.analytics, for the end-to-end test.
"use strict";

const $ = (id) => document.getElementById(id);
const analytics = (window.analytics = { charts: {}, days: null, errors: [] });
const MAX_DAYS = 366; // what the API serves at a time
const config = fetch("/demo/config").then((response) => response.json()); // the auth mode
let token = null;

const showError = errorShower($("errors"), analytics.errors);
const api = restApi("", () => token);

async function signIn() {
  try {
    token = $("token").value.trim();
    if (!token && (await config).auth_mode === "dev") {
      token = (await api("/api/dev/tokens", {
        method: "POST", body: JSON.stringify({ user_id: $("user").value.trim(), roles: ["analytics"] }),
      })).token;
    }
    if (!token) throw new Error("A token with the analytics role is needed");
    $("whoami").textContent = "signed in";
    $("show").disabled = false;
    await show();
  } catch (error) {
    showError(error.message);
  }
}

const utcDay = (date) => date.toISOString().slice(0, 10);
const percent = (rate) => (rate == null ? null : Math.round(rate * 1000) / 10);

async function show() {
  const from = $("from").value, to = $("to").value;
  const days = (Date.parse(to) - Date.parse(from)) / 86400000;
  if (!(days >= 0 && days < MAX_DAYS)) {
    showError(`Choose a range of 1 to ${MAX_DAYS} days, from before to`);
    return;
  }
  try {
    const daily = await api(`/api/analytics/calls/daily?from=${from}&to=${to}`);
    analytics.days = daily;
    draw(daily);
    const sum = (field) => daily.reduce((total, day) => total + day[field], 0);
    $("summary").textContent = `Calls: ${sum("started")} started, ${sum("answered")} answered, `
      + `${sum("connected")} connected, ${sum("relayed")} relayed, ${sum("media_failed")} with media failures`;
  } catch (error) {
    showError(error.message);
  }
}

function chart(id, type, labels, datasets, yTitle, yMax) {
  analytics.charts[id]?.destroy();
  analytics.charts[id] = new Chart($(id), {
    type,
    data: { labels, datasets },
    options: {
      animation: false, // drawn at once: what the page shows is there when it says so
      maintainAspectRatio: false,
      spanGaps: false, // a day with nothing to measure is a gap, not a zero
      scales: { y: { beginAtZero: true, max: yMax, ticks: { precision: 0 }, title: { display: true, text: yTitle } } },
      plugins: { legend: { display: datasets.length > 1 } },
    },
  });
}

function draw(daily) {
  const labels = daily.map((day) => day.date);
  const series = (label, values, color) => ({
    label, data: values, borderColor: color, backgroundColor: color, pointRadius: 3,
    tension: 0, // straight lines: a curve would show values no day had
    clip: false, // a point at 100 % shows whole
  });
  chart("calls", "bar", labels, [
    series("started", daily.map((d) => d.started), "#8e9aaf"),
    series("answered", daily.map((d) => d.answered), "#3a86ff"),
    series("connected", daily.map((d) => d.connected), "#2a9d8f"),
  ], "calls");
  chart("answerRate", "line", labels, [series("answer rate", daily.map((d) => percent(d.answer_rate)), "#3a86ff")],
    "%", 100);
  chart("connectRate", "line", labels, [series("connect rate", daily.map((d) => percent(d.connect_rate)), "#2a9d8f")],
    "%", 100);
  chart("timeToConnect", "line", labels, [
    series("p50", daily.map((d) => d.time_to_connect_p50_ms), "#2a9d8f"),
    series("p95", daily.map((d) => d.time_to_connect_p95_ms), "#e76f51"),
  ], "ms");
  chart("relayShare", "line", labels, [series("relay share", daily.map((d) => percent(d.relay_share)), "#9b5de5")],
    "%", 100);
}

(async () => {
  const today = new Date();
  $("to").value = utcDay(today);
  $("from").value = utcDay(new Date(today.getTime() - 13 * 86400000)); // two weeks
  const params = new URLSearchParams(location.search);
  if (params.get("from")) $("from").value = params.get("from");
  if (params.get("to")) $("to").value = params.get("to");
  try {
    if ((await config).auth_mode === "dev") $("devUser").classList.remove("hidden");
  } catch (error) {
    showError(`The service did not answer: ${error.message}`);
  }
})();
$("signIn").onclick = signIn;
$("show").onclick = show;
