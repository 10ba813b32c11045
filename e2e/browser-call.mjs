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

  const token = (await (await fetch(`${base}/api/dev/tokens`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ user_id: alice }),
  })).json()).data.token;
  let last = null;
  for (let i = 0; i < 20 && last?.status !== "ended"; i++) {
    last = (await (await fetch(`${base}/api/calls/history`, { headers: { Authorization: `Bearer ${token}` } })).json())
      .data.calls[0];
    if (last?.status !== "ended") await sleep(250);
  }
  check("history shows the call hung up", last?.call_id === callId && last.status === "ended"
    && last.end_reason === "user_hangup" && last.duration_seconds >= 3, JSON.stringify(last));

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
