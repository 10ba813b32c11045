// One load-generator process (forked by run.mjs). It holds real socket.io-client v4 sockets and runs the phase the
// parent asks for over IPC, then answers with counts, latency samples (ms) and its own CPU time. Both sockets of a
// call live in the same process, so a relay latency is one clock's difference.
import { io } from "socket.io-client";
import { performance } from "node:perf_hooks";

const { restUrl, sioUrl, index } = JSON.parse(process.env.BENCH_WORKER);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function token(userId) {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${restUrl}/api/dev/tokens`, {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user_id: userId }),
        signal: AbortSignal.timeout(15000),
      });
      const body = await res.json();
      if (body?.data?.token) return body.data.token;
      throw new Error(`token refused: ${res.status}`);
    } catch (e) {
      if (attempt >= 5) throw e;
      await sleep(100 * (attempt + 1));
    }
  }
}

function connect(authToken, timeoutMs = 20000) {
  return new Promise((resolve, reject) => {
    const socket = io(`${sioUrl}/rtc`, {
      path: "/socket.io", transports: ["websocket"], auth: { token: authToken }, reconnection: false, forceNew: true,
      timeout: timeoutMs,
    });
    // the namespace CONNECT answer is not covered by the client's own timeout: bound the whole handshake
    const timer = setTimeout(() => { socket.close(); reject(new Error("timeout connecting")); }, timeoutMs);
    socket.once("connect", () => { clearTimeout(timer); resolve(socket); });
    socket.once("connect_error", (e) => { clearTimeout(timer); socket.close(); reject(new Error(`connect_error: ${e.message}`)); });
  });
}

function once(socket, event, timeoutMs = 15000, filter = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { socket.off(event, handler); reject(new Error(`timeout waiting for ${event}`)); }, timeoutMs);
    function handler(payload) {
      if (!filter(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(payload);
    }
    socket.on(event, handler);
  });
}

/** Runs `task(i)` for i in [0, count) with at most `limit` at once. */
async function pool(count, limit, task) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, count) }, async () => {
    while (next < count) await task(next++);
  });
  await Promise.all(runners);
}

const candidate = (n) => ({
  candidate: `candidate:${842163049 + n} 1 udp 1677729535 203.0.113.${n % 250} ${40000 + n} typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sW2a network-cost 999`,
  sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "sW2a",
});
const OFFER = { type: "offer", sdp: "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n" + "a=x-bench-filler\r\n".repeat(60) };
const ANSWER = { type: "answer", sdp: OFFER.sdp };

const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; // ms

// ---- idle connections (memory figure) ----
let idle = [];
async function idleConnect({ count, prefix }) {
  const started = Date.now();
  let failed = 0;
  await pool(count, 100, async (i) => {
    try {
      const socket = await connect(await token(`${prefix}w${index}i${i}`));
      idle.push(socket);
    } catch { failed++; }
  });
  return { connected: idle.length, failed, ms: Date.now() - started };
}
async function idleClose() {
  for (const s of idle) s.close();
  idle = [];
  return {};
}

// ---- relay (figures 1 and 2) ----
let pairs = []; // { callId, caller, callee }
async function relaySetup({ calls, prefix }) {
  let failed = 0;
  await pool(calls, 50, async (i) => {
    try {
      const [ta, tb] = await Promise.all([token(`${prefix}w${index}a${i}`), token(`${prefix}w${index}b${i}`)]);
      const [caller, callee] = await Promise.all([connect(ta), connect(tb)]);
      const incoming = once(callee, "incomingCall", 30000);
      caller.emit("startCall", { target_user_id: `${prefix}w${index}b${i}`, with_video: true, with_audio: true });
      const { call_id: callId } = await incoming;
      const accepted = once(caller, "callAccepted", 30000);
      callee.emit("acceptCall", { call_id: callId, with_video: true, with_audio: true });
      await accepted;
      pairs.push({ callId, caller, callee });
    } catch (e) { failed++; }
  });
  return { calls: pairs.length, failed };
}

let errorsSeen = 0;

// The relay phases' hot loop speaks socket.io's wire format directly on the engine.io connection that
// socket.io-client opened and authenticated. Through emit() and event listeners, socket.io-client encodes every
// message (JSON.stringify and a walk looking for binary parts) and decodes every packet into an event call: at
// tens of thousands of messages a second that made the generator use more of the 2 cores than either system it
// measures. The packets are the ones emit() would send, the same for both systems; only the generator's own work
// per message is less.
const RTC_EVENT = "2/rtc,"; // a socket.io EVENT packet of the /rtc namespace (engine.io prefixes its MESSAGE type)

/** Hands every packet the socket receives to `handler` instead of socket.io-client's decoder; returns the undo. */
function takePackets(socket, handler) {
  const engine = socket.io.engine;
  const decoders = engine.listeners("data");
  engine.off("data");
  engine.on("data", handler);
  return () => {
    engine.off("data", handler);
    for (const decoder of decoders) engine.on("data", decoder);
  };
}

/**
 * Writes packets with one system call per socket and turn of the event loop: a write system call per message was
 * the generator's largest cost (the socket is corked at its first packet in a turn and uncorked once the turn's I/O
 * is handled). Several frames then reach the target in one TCP segment, as a real client's bursts of candidates do.
 */
const corked = new Set();
function writeCorked(engine, packet) {
  const socket = engine.transport.ws._socket;
  if (!corked.has(socket)) {
    if (corked.size === 0) setImmediate(uncorkAll);
    corked.add(socket);
    socket.cork();
  }
  engine.write(packet);
}
function uncorkAll() {
  for (const socket of corked) socket.uncork();
  corked.clear();
}

/** A relayed candidate; any other packet (an `error` event from the target) is counted as an error. */
function isCandidate(packet) {
  if (packet.startsWith('2/rtc,["iceCandidate"')) return true;
  errorsSeen++;
  return false;
}

/** The packet of one call's candidate, encoded once: `call_id` and the candidate do not change per message. */
const candidatePacket = (callId, n) =>
  RTC_EVENT + JSON.stringify(["iceCandidate", { call_id: callId, candidate: candidate(n), sdpMid: "0", sdpMLineIndex: 0 }]);

/** Counts per second since `origin` (a Date.now() time shared with the parent): [second] = count. */
function perSecond(origin) {
  const series = [];
  return {
    series,
    add(n = 1) {
      const k = Math.floor((Date.now() - origin) / 1000);
      series[k] = (series[k] ?? 0) + n;
    },
  };
}

/**
 * Closed loop: every call keeps `window` candidates in flight each way; a delivered one sends the next. With an
 * `origin`, deliveries are also counted per second since it (the cold-start figure).
 */
async function relayThroughput({ window, warmupMs, durationMs, origin }) {
  let received = 0, running = true;
  errorsSeen = 0;
  const undo = [];
  const counts = origin ? perSecond(origin) : null;
  // counted per turn of the event loop, not per message: Date.now() per message would cost the generator
  let pending = 0;
  const count = counts ? () => { if (pending++ === 0) setImmediate(() => { counts.add(pending); pending = 0; }); } : () => {};
  const senders = pairs.map(({ callId, caller, callee }, i) => {
    const toCallee = candidatePacket(callId, 2 * i), toCaller = candidatePacket(callId, 2 * i + 1);
    const fromCaller = () => writeCorked(caller.io.engine, toCallee), fromCallee = () => writeCorked(callee.io.engine, toCaller);
    undo.push(takePackets(caller, (packet) => { if (isCandidate(packet)) { received++; count(); if (running) fromCallee(); } }));
    undo.push(takePackets(callee, (packet) => { if (isCandidate(packet)) { received++; count(); if (running) fromCaller(); } }));
    return [fromCaller, fromCallee];
  });
  for (const [fromCaller, fromCallee] of senders) for (let w = 0; w < window; w++) { fromCaller(); fromCallee(); }
  await sleep(warmupMs);
  const r0 = received, c0 = cpuNow(), t0 = performance.now(), from = Date.now();
  await sleep(durationMs);
  const r1 = received, c1 = cpuNow(), t1 = performance.now(), to = Date.now();
  running = false;
  await sleep(1000); // let what is in flight drain
  for (const restore of undo) restore();
  return { received: r1 - r0, seconds: (t1 - t0) / 1000, cpuMs: c1 - c0, errors: errorsSeen, series: counts?.series, from, to };
}

/** Open loop: `rate` candidates per second from this process, spread over its calls and both directions. */
async function relayLatency({ rate, warmupMs, durationMs }) {
  const samples = [];
  let recording = false, sent = 0, received = 0, cursor = 0;
  errorsSeen = 0;
  const undo = [];
  const onPacket = (packet) => {
    if (!isCandidate(packet)) return;
    received++;
    // the send time rides in the candidate's metadata, the last number of the packet
    const sentAt = /"t":([^,}]+)/.exec(packet);
    if (recording && sentAt) samples.push(performance.now() - Number(sentAt[1]));
  };
  const heads = pairs.map(({ callId, caller, callee }, i) => {
    undo.push(takePackets(caller, onPacket), takePackets(callee, onPacket));
    const head = (n) => candidatePacket(callId, n).replace(/}\]$/, ',"metadata":{"t":');
    return [head(2 * i), head(2 * i + 1)];
  });
  const tickMs = 5;
  const start = performance.now();
  let due = 0;
  const timer = setInterval(() => {
    const target = Math.floor(((performance.now() - start) / 1000) * rate);
    while (due < target) {
      const i = cursor++ % pairs.length, fromCaller = (cursor & 1) === 1;
      const from = fromCaller ? pairs[i].caller : pairs[i].callee;
      from.io.engine.write(heads[i][fromCaller ? 0 : 1] + performance.now() + "}}]");
      due++;
      sent++;
    }
  }, tickMs);
  await sleep(warmupMs);
  recording = true;
  const c0 = cpuNow(), s0 = sent;
  await sleep(durationMs);
  recording = false;
  const c1 = cpuNow(), s1 = sent;
  clearInterval(timer);
  await sleep(1000);
  for (const restore of undo) restore();
  return { samples, sent: s1 - s0, cpuMs: c1 - c0, seconds: durationMs / 1000, errors: errorsSeen, lost: sent - received };
}

async function relayTeardown() {
  // end every call and wait for both parties to hear it before closing, so the closes find no live call
  await Promise.all(pairs.map(({ callId, caller, callee }) => {
    const heard = Promise.all([once(caller, "callEnded", 30000), once(callee, "callEnded", 30000)]).catch(() => {});
    caller.emit("endCall", { call_id: callId });
    return heard;
  }));
  for (const { caller, callee } of pairs) { caller.close(); callee.close(); }
  pairs = [];
  return {};
}

// ---- call setups (figures 3 and 8) ----
async function flow(prefix, i) {
  const a = `${prefix}w${index}c${i}`, b = `${prefix}w${index}d${i}`;
  const t0 = performance.now();
  const [ta, tb] = await Promise.all([token(a), token(b)]);
  const [caller, callee] = await Promise.all([connect(ta), connect(tb)]);
  try {
    const incoming = once(callee, "incomingCall");
    const started = once(caller, "callStarted");
    caller.emit("startCall", { target_user_id: b, with_video: true, with_audio: true });
    const { call_id: callId } = await started;
    const offer = once(callee, "signalOffer");
    caller.emit("signalOffer", { call_id: callId, offer: OFFER });
    await incoming;
    await offer;
    const answer = once(caller, "signalAnswer");
    const accepted = once(caller, "callAccepted");
    callee.emit("signalAnswer", { call_id: callId, answer: ANSWER });
    callee.emit("acceptCall", { call_id: callId, with_video: true, with_audio: true });
    await answer;
    await accepted;
    let toCallee = 0, toCaller = 0;
    const candidatesIn = Promise.all([
      new Promise((resolve) => callee.on("iceCandidate", () => { if (++toCallee === 8) resolve(); })),
      new Promise((resolve) => caller.on("iceCandidate", () => { if (++toCaller === 8) resolve(); })),
    ]);
    for (let k = 0; k < 8; k++) {
      caller.emit("iceCandidate", { call_id: callId, candidate: candidate(k), sdpMid: "0", sdpMLineIndex: 0 });
      callee.emit("iceCandidate", { call_id: callId, candidate: candidate(100 + k), sdpMid: "0", sdpMLineIndex: 0 });
    }
    await Promise.race([candidatesIn, sleep(15000).then(() => { throw new Error("timeout waiting for candidates"); })]);
    const endedCaller = once(caller, "callEnded");
    const endedCallee = once(callee, "callEnded");
    caller.emit("endCall", { call_id: callId });
    await Promise.all([endedCaller, endedCallee]);
    return performance.now() - t0;
  } finally {
    caller.close();
    callee.close();
  }
}

/**
 * `concurrency` loops of whole flows for `warmupMs + durationMs`; flows completed in the last `durationMs` are the
 * figure. With an `origin`, every completed flow is also counted per second since it (the cold-start figure).
 */
async function setups({ concurrency, warmupMs, durationMs, prefix, origin }) {
  const latencies = [];
  let completed = 0, failed = 0, counter = 0, recording = false, lastError = null;
  const counts = origin ? perSecond(origin) : null;
  const start = performance.now();
  const stopAt = start + warmupMs + durationMs;
  let c0 = 0, t0 = 0, from = 0;
  setTimeout(() => { recording = true; c0 = cpuNow(); t0 = performance.now(); from = Date.now(); }, warmupMs);
  const loops = Array.from({ length: concurrency }, async () => {
    while (performance.now() < stopAt) {
      const i = counter++;
      try {
        const ms = await flow(prefix, i);
        counts?.add();
        if (recording && performance.now() <= stopAt) { completed++; latencies.push(ms); }
      } catch (e) { failed++; lastError = e.message; }
    }
  });
  await Promise.all(loops);
  const seconds = (Math.min(performance.now(), stopAt) - t0) / 1000;
  return { completed, failed, latencies, seconds, cpuMs: cpuNow() - c0, lastError, series: counts?.series, from, to: from + seconds * 1000 };
}

const phases = { idleConnect, idleClose, relaySetup, relayThroughput, relayLatency, relayTeardown, setups };
process.on("message", async ({ id, phase, args }) => {
  try {
    const result = await phases[phase](args ?? {});
    process.send({ id, ok: true, result });
  } catch (e) {
    process.send({ id, ok: false, error: e.message });
  }
});
process.send({ ready: true });
