// A real WebRTC call through the service, in two headless Chromium pages of the demo, relayed by coturn.
// Usage: node browser-call.mjs <service url> <embedded mongo url> <turn secret> <screenshot dir>
import { MongoClient } from "mongodb";
import { createHmac } from "node:crypto";
import { mkdirSync } from "node:fs";
import { checks, inbound, launch, sleep } from "./chromium.mjs";

const [base, mongoUrl, turnSecret, shots] = process.argv.slice(2);
const { check, summary } = checks("e2e");
mkdirSync(shots, { recursive: true });

const browser = await launch();
const run = Date.now().toString(36);
const alice = `alice-${run}`;
const bob = `bob-${run}`;

async function open(me, peer) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("pageerror", (error) => console.log(`[${me}] page error: ${error.message}`));
  await page.goto(`${base}/demo/index.html?relay=1&me=${me}&peer=${peer}`);
  await page.click("#connect");
  await page.waitForFunction((who) => document.getElementById("whoami").textContent.includes(who), me);
  return page;
}

/** A dev token for the user, with these roles. */
const mint = async (user, roles = []) => (await (await fetch(`${base}/api/dev/tokens`, {
  method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ user_id: user, roles }),
})).json()).data.token;

/** How many relay candidates a peer connection gathers through coturn with these credentials. */
const relayCandidates = (page, server) => page.evaluate(async (iceServer) => {
  const pc = new RTCPeerConnection({ iceServers: [iceServer], iceTransportPolicy: "relay" });
  let count = 0;
  pc.onicecandidate = ({ candidate }) => { if (candidate && candidate.type === "relay") count++; };
  pc.createDataChannel("probe");
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((resolve) => {
    pc.onicegatheringstatechange = () => pc.iceGatheringState === "complete" && resolve();
    setTimeout(resolve, 6000);
  });
  pc.close();
  return count;
}, server);

try {
  const caller = await open(alice, bob);
  const callee = await open(bob, alice);
  await caller.waitForFunction(() => document.getElementById("presence").textContent.includes("online"));
  check("the caller sees the callee online", true);

  await caller.click("#call");
  await callee.waitForSelector("#incoming:not(.hidden)");
  check("the callee's page rings", true);
  await callee.click("#answer");

  const connected = (page) => page.waitForFunction(() => window.demo.pc?.connectionState === "connected",
    null, { timeout: 30000 });
  await Promise.all([connected(caller), connected(callee)]);
  check("both peer connections reach connected", true);
  const relayed = await caller.evaluate(async () => {
    let relay = false;
    (await window.demo.pc.getStats()).forEach((report) => {
      if (report.type === "local-candidate" && report.candidateType === "relay") relay = true;
    });
    return relay;
  });
  check("the media goes through coturn (relay candidates)", relayed);

  // each page reports its connection as the reference client does, from getStats()
  const reported = (page) => page.waitForFunction(() => window.demo.reports.connected?.ack, null, { timeout: 10000 })
    .then(() => page.evaluate(() => window.demo.reports.connected));
  for (const [page, who] of [[caller, "caller"], [callee, "callee"]]) {
    const { payload, ack } = await reported(page);
    check(`the ${who} reports callConnected through relay candidates, and it is recorded`,
      ack.ok && ack.data.recorded && payload.local_candidate_type === "relay"
      && payload.remote_candidate_type === "relay" && ["udp", "tcp", "tls"].includes(payload.protocol)
      && payload.time_to_connect_ms >= 0, JSON.stringify(payload));
  }

  const before = [await inbound(caller), await inbound(callee)];
  await sleep(3000);
  const after = [await inbound(caller), await inbound(callee)];
  for (const [i, who] of [[0, "caller"], [1, "callee"]]) {
    check(`inbound audio grows on the ${who}'s side`, after[i].audio > before[i].audio,
      `${before[i].audio} → ${after[i].audio} bytes`);
    check(`inbound video grows on the ${who}'s side`, after[i].video > before[i].video,
      `${before[i].video} → ${after[i].video} bytes`);
  }

  await caller.screenshot({ path: `${shots}/caller.png` });
  await callee.screenshot({ path: `${shots}/callee.png` });

  await caller.click("#mute");
  await callee.waitForFunction(() => window.demo.peerMedia.audio === "muted", null, { timeout: 10000 });
  check("a mute on one page shows on the other", true);
  await caller.click("#camera");
  await callee.waitForFunction(() => window.demo.peerMedia.video === "disabled", null, { timeout: 10000 });
  check("camera off on one page shows on the other", true);

  const callId = await caller.evaluate(() => window.demo.callId);

  await caller.click("#hangup");
  const over = (page) => page.waitForFunction(() => window.demo.state.startsWith("ended"), null, { timeout: 10000 });
  await Promise.all([over(caller), over(callee)]);
  check("a hang-up ends both pages", true,
    `${await caller.evaluate(() => window.demo.state)} / ${await callee.evaluate(() => window.demo.state)}`);
  for (const [page, who] of [[caller, "caller"], [callee, "callee"]]) {
    await page.waitForFunction(() => window.demo.reports.stats.length > 0, null, { timeout: 10000 });
    const { payload, ack } = await page.evaluate(() => window.demo.reports.stats.at(-1));
    check(`the ${who}'s closing callStats after the hang-up is recorded`, ack.ok && ack.data.recorded
      && payload.rtt_ms >= 0 && payload.audio_loss_pct !== null && payload.avg_bitrate_kbps > 0,
      JSON.stringify(payload));
  }

  const token = await mint(alice);
  let last = null;
  for (let i = 0; i < 20 && last?.status !== "ended"; i++) {
    last = (await (await fetch(`${base}/api/calls/history`, { headers: { Authorization: `Bearer ${token}` } })).json())
      .data.calls[0];
    if (last?.status !== "ended") await sleep(250);
  }
  check("history shows the call hung up", last?.call_id === callId && last.status === "ended"
    && last.end_reason === "user_hangup" && last.duration_seconds >= 3, JSON.stringify(last));

  const auditor = await mint(`audi-${run}`, ["auditor"]);
  const events = (await (await fetch(`${base}/api/audit/calls/${callId}/events`,
    { headers: { Authorization: `Bearer ${auditor}` } })).json()).data;
  const types = events.map((event) => event.type);
  check("the call's audited history carries both connections and both closing samples",
    types.filter((type) => type === "ParticipantMediaConnectedEvent").length === 2
    && events.filter((event) => event.type === "CallQualitySampledEvent" && event.payload.closing).length === 2,
    types.join(", "));
  check("no address, candidate or SDP in the reported events", events.every((event) =>
    !/\d+\.\d+\.\d+\.\d+|candidate:|v=0/.test(JSON.stringify(event.payload))));

  const analyst = await mint(`analyst-${run}`, ["analytics"]);
  const today = new Date().toISOString().slice(0, 10);
  const day = (await (await fetch(`${base}/api/analytics/calls/daily?from=${today}&to=${today}`,
    { headers: { Authorization: `Bearer ${analyst}` } })).json()).data[0];
  check("the day's analytics show one answered call that connected, relayed through TURN",
    day.started === 1 && day.answered === 1 && day.connected === 1 && day.connect_rate === 1
    && day.relayed === 1 && day.relay_share === 1 && day.time_to_connect_p50_ms !== null
    && day.median_rtt_ms !== null && day.media_failed === 0, JSON.stringify(day));

  const charts = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
  charts.on("pageerror", (error) => console.log(`[analytics] page error: ${error.message}`));
  await charts.goto(`${base}/analytics`);
  await charts.click("#signIn");
  await charts.waitForFunction(() => window.analytics.days !== null || window.analytics.errors.length > 0);
  const drawn = await charts.evaluate((date) => Object.entries(window.analytics.charts).map(([id, chart]) => {
    const at = chart.data.labels.indexOf(date);
    const points = chart.data.datasets.map((dataset, i) => ({
      value: dataset.data[at], shown: !chart.getDatasetMeta(i).data[at].skip }));
    // some pixel of the plot is not blank
    const pixels = chart.ctx.getImageData(0, 0, chart.canvas.width, chart.canvas.height).data;
    return { id, points, painted: pixels.some((channel, i) => i % 4 === 3 && channel > 0) };
  }), today);
  check("the analytics page draws its five charts from the API, with today's points", drawn.length === 5
    && drawn.every((chart) => chart.painted && chart.points.every((point) => point.shown && point.value !== null)),
    JSON.stringify(drawn));
  const byId = Object.fromEntries(drawn.map((chart) => [chart.id, chart.points.map((point) => point.value)]));
  check("its points say one connected call, all of it relayed", byId.calls.join() === "1,1,1"
    && byId.connectRate[0] === 100 && byId.relayShare[0] === 100, JSON.stringify(byId));
  await charts.screenshot({ path: `${shots}/analytics.png`, fullPage: true });

  const mongo = new MongoClient(mongoUrl);
  try {
    let messages = [];
    for (let i = 0; i < 20 && messages.length === 0; i++) {
      messages = await mongo.db("dehive").collection("direct_message").find({ "attachments.call_id": callId }).toArray();
      if (messages.length === 0) await sleep(250);
    }
    check("one conversation message, as a video call with its duration", messages.length === 1
      && /^Video call \u2022 \d+:\d\d$/.test(messages[0].content), messages.map((m) => m.content).join(" | "));
  } finally {
    await mongo.close();
  }

  const turn = (await (await fetch(`${base}/api/turn/credentials`, { headers: { Authorization: `Bearer ${token}` } }))
    .json()).data;
  const urls = turn.uris;
  check("coturn relays with the service's credential",
    (await relayCandidates(caller, { urls, username: turn.username, credential: turn.credential })) > 0);
  const forged = `${Math.floor(Date.now() / 1000) + 3600}:${alice}`;
  check("coturn refuses a forged credential", (await relayCandidates(caller,
    { urls, username: forged, credential: createHmac("sha1", "not-the-secret").update(forged).digest("base64") })) === 0);
  const expired = `${Math.floor(Date.now() / 1000) - 60}:${alice}`;
  check("coturn refuses an expired credential", (await relayCandidates(caller,
    { urls, username: expired, credential: createHmac("sha1", turnSecret).update(expired).digest("base64") })) === 0);
} catch (error) {
  check("no unexpected error", false, error.stack || error);
} finally {
  await browser.close();
}
process.exit(summary());
