// The demo client: plain JS on socket.io-client v4, using the protocol exactly as a third-party front-end would.
// Its state is on window.demo so that the end-to-end test can read what a person would see. Served from another
// origin, it reaches the service named by ?service=http://host:4005 (CORS_ALLOWED_ORIGINS must allow that origin);
// ?transports=polling,websocket picks the socket's transports (websocket only by default).
// It is also the reference client for media reports: what a real client should tell the service about its media,
// worked out from RTCPeerConnection.getStats() (callConnected, callMediaFailed, callStats; see quality below).
"use strict";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const service = params.get("service") ? new URL(params.get("service")) : null;
const base = service ? service.origin : "";
const demo = (window.demo = {
  state: "idle", callId: null, pc: null, socket: null, peerMedia: {}, errors: [], ended: null,
  reports: null, // this call's media reports: each {payload, ack} as sent and answered
});
const noReports = () => ({ connected: null, failed: null, stats: [] });
demo.reports = noReports();
let config = null;
let token = null;
let localStream = null;
let pendingOffer = null;
let offerWaiters = [];
let remoteCandidates = [];
let durationTimer = null;
let connectedAt = null;

function log(text) {
  $("log").textContent = `${new Date().toISOString().slice(11, 19)} ${text}\n` + $("log").textContent;
}

const showError = errorShower($("errors"), demo.errors);

function setState(state) {
  demo.state = state;
  $("state").textContent = state;
  const live = state === "ringing" || state === "calling" || state === "connected";
  $("call").disabled = !demo.socket || live;
  $("hangup").disabled = !live;
  $("mute").disabled = !live;
  $("camera").disabled = !live;
}

const api = restApi(base, () => token);

async function signIn() {
  try {
    config = config || (await (await fetch(`${base}/demo/config`)).json());
    const me = $("me").value.trim();
    token = $("token").value.trim() || (await api("/api/dev/tokens", {
      method: "POST", body: JSON.stringify({ user_id: me, display_name: me }),
    })).token;
    const { protocol, hostname } = service || location;
    const transports = (params.get("transports") || "websocket").split(",");
    const socket = io(`${protocol}//${hostname}:${config.socket_port}/rtc`, { transports, auth: { token } });
    demo.socket = socket;
    socket.on("connect", () => socket.emit("identity", me));
    socket.on("connect_error", (error) => showError(`Cannot connect: ${error.message}`));
    socket.on("identityConfirmed", ({ userDehiveId }) => {
      $("whoami").textContent = `signed in as ${userDehiveId}`;
      setState(demo.state);
    });
    socket.on("error", ({ code, message }) => showError(`${code}: ${message}`));
    listen(socket);
    setInterval(refreshPresence, 2000);
  } catch (error) {
    showError(error.message);
  }
}

async function refreshPresence() {
  const peer = $("peer").value.trim();
  if (!peer) return;
  try {
    const { online } = await api(`/api/presence/${encodeURIComponent(peer)}`);
    $("presence").textContent = online ? `${peer} is online` : `${peer} is offline`;
  } catch (error) {
    $("presence").textContent = "unknown";
  }
}

async function localMedia(withVideo) {
  if (!localStream) {
    localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: withVideo });
    $("localVideo").srcObject = localStream;
  }
  return localStream;
}

async function peerConnection() {
  const { iceServers } = await api("/api/turn/ice-servers");
  const pc = new RTCPeerConnection({
    iceServers, iceTransportPolicy: params.get("relay") === "1" ? "relay" : "all",
  });
  demo.pc = pc;
  pc.onicecandidate = ({ candidate }) => {
    if (candidate) demo.socket.emit("iceCandidate", {
      call_id: demo.callId, candidate: candidate.toJSON(), sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex,
    });
  };
  pc.ontrack = ({ streams }) => { $("remoteVideo").srcObject = streams[0]; };
  pc.onconnectionstatechange = () => {
    log(`peer connection ${pc.connectionState}`);
    quality.connectionChanged(pc);
  };
  pc.oniceconnectionstatechange = () => quality.iceChanged(pc);
  localStream.getTracks().forEach((track) => pc.addTrack(track, localStream));
  return pc;
}

async function addRemoteCandidates() {
  for (const candidate of remoteCandidates.splice(0)) await demo.pc.addIceCandidate(candidate);
}

async function startCall() {
  try {
    const peer = $("peer").value.trim();
    await localMedia($("withVideo").checked);
    setState("calling");
    demo.socket.emit("startCall", { target_user_id: peer, with_video: $("withVideo").checked, with_audio: true });
  } catch (error) {
    showError(error.message);
    setState("idle");
  }
}

async function answer() {
  try {
    $("incoming").classList.add("hidden");
    quality.answered(); // the callee's side of the call is answered now
    await localMedia(true);
    const pc = await peerConnection();
    // the caller's offer may still be on its way when the callee answers
    const offer = pendingOffer || (await new Promise((resolve) => offerWaiters.push(resolve)));
    await pc.setRemoteDescription(offer);
    await addRemoteCandidates();
    await pc.setLocalDescription(await pc.createAnswer());
    demo.socket.emit("signalAnswer", { call_id: demo.callId, answer: pc.localDescription.toJSON() });
    demo.socket.emit("acceptCall", { call_id: demo.callId, with_video: true, with_audio: true });
  } catch (error) {
    showError(error.message);
  }
}

function toggle(kind) {
  const track = localStream && localStream.getTracks().find((t) => t.kind === kind);
  if (!track) return;
  track.enabled = !track.enabled;
  const state = kind === "audio" ? (track.enabled ? "unmuted" : "muted") : (track.enabled ? "enabled" : "disabled");
  $(kind === "audio" ? "mute" : "camera").textContent =
    kind === "audio" ? (track.enabled ? "Mute" : "Unmute") : (track.enabled ? "Camera off" : "Camera on");
  demo.socket.emit("toggleMedia", { call_id: demo.callId, media_type: kind, state });
}

async function ended(reason, duration) {
  demo.ended = { reason, duration };
  clearInterval(durationTimer);
  $("incoming").classList.add("hidden");
  setState(`ended (${reason}${duration != null ? `, ${formatDuration(duration)}` : ""})`);
  pendingOffer = null;
  offerWaiters = [];
  remoteCandidates = [];
  const pc = demo.pc;
  if (pc) {
    await quality.ended(pc); // the closing sample, read before the connection goes
    pc.close();
  }
}

// Media reports. Time to connect runs from this side's answer (the callee's click, the caller's callAccepted) to the
// peer connection's first "connected", 0 when media was up before the answer. Only kinds of candidates and
// summaries are sent, never SDP, candidates or addresses.
const quality = (() => {
  const CONNECT_TIMEOUT_MS = 30000; // no media this long after the answer: the connection failed
  const DISCONNECT_GIVE_UP_MS = 10000; // ICE "disconnected" this long: the connection is lost
  const STATS_EVERY_MS = 60000; // the service takes one sample a minute
  let answeredAt = null, connectedAt = null, timers = [];

  const clearTimers = () => { timers.forEach(clearTimeout); timers.forEach(clearInterval); timers = []; };

  function report(event, payload, keep) {
    demo.socket.emit(event, payload, (ack) => {
      keep({ payload, ack });
      if (!ack.ok) log(`${event} refused: ${ack.error.code}`);
    });
  }

  /** The candidate pair the media flows over: its kinds and protocol, from getStats. */
  async function selectedPair(pc) {
    const stats = await pc.getStats();
    let pair = null;
    stats.forEach((s) => {
      if (s.type === "transport" && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
    });
    if (!pair) stats.forEach((s) => { if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") pair = s; });
    if (!pair) return null;
    const local = stats.get(pair.localCandidateId), remote = stats.get(pair.remoteCandidateId);
    return {
      pair, local_candidate_type: local.candidateType, remote_candidate_type: remote.candidateType,
      // through TURN, what counts is how this client reaches the TURN server
      protocol: local.candidateType === "relay" && local.relayProtocol ? local.relayProtocol : local.protocol,
    };
  }

  async function reportConnected(pc) {
    const path = await selectedPair(pc);
    if (!path) return;
    const { pair, ...kinds } = path;
    report("callConnected", {
      call_id: demo.callId, time_to_connect_ms: Math.max(0, Math.round(connectedAt - answeredAt)), ...kinds,
    }, (sent) => { demo.reports.connected = sent; });
  }

  function reportFailed(pc, reason) {
    if (demo.reports.failed || !demo.callId) return;
    demo.reports.failed = { payload: null, ack: null };
    report("callMediaFailed", { call_id: demo.callId, ice_state: pc.iceConnectionState, reason },
      (sent) => { demo.reports.failed = sent; });
  }

  const bounded = (value, max) => Math.min(max, Math.max(0, Math.round(value * 100) / 100));
  const lossPct = (rtp) => (rtp ? bounded(100 * Math.max(0, rtp.packetsLost || 0)
    / Math.max(1, (rtp.packetsReceived || 0) + Math.max(0, rtp.packetsLost || 0)), 100) : null);

  /** The media so far: mean round trip of the pair, current jitter, loss received, mean bitrate, video freezes. */
  async function sample(pc) {
    const path = await selectedPair(pc);
    const stats = await pc.getStats();
    const inbound = {};
    stats.forEach((s) => { if (s.type === "inbound-rtp") inbound[s.kind] = s; });
    const pair = path && path.pair;
    const rtt = pair && pair.responsesReceived ? pair.totalRoundTripTime / pair.responsesReceived
      : (pair && pair.currentRoundTripTime) || 0;
    const bytes = (inbound.audio?.bytesReceived || 0) + (inbound.video?.bytesReceived || 0);
    const seconds = Math.max(1, (performance.now() - connectedAt) / 1000);
    return {
      call_id: demo.callId,
      rtt_ms: bounded(rtt * 1000, 60000),
      jitter_ms: bounded(((inbound.audio || inbound.video)?.jitter || 0) * 1000, 60000),
      audio_loss_pct: lossPct(inbound.audio),
      video_loss_pct: lossPct(inbound.video),
      avg_bitrate_kbps: bounded(bytes * 8 / seconds / 1000, 1000000),
      freeze_count: Math.min(1000000, inbound.video?.freezeCount || 0),
    };
  }

  async function sendStats(pc) {
    if (connectedAt === null) return;
    report("callStats", await sample(pc), (sent) => demo.reports.stats.push(sent));
  }

  return {
    answered() {
      answeredAt = performance.now();
      timers.push(setTimeout(() => { if (demo.pc && connectedAt === null) reportFailed(demo.pc, "connect_timeout"); },
        CONNECT_TIMEOUT_MS));
      if (connectedAt !== null) reportConnected(demo.pc);
    },
    connectionChanged(pc) {
      if (pc.connectionState === "connected" && connectedAt === null) {
        connectedAt = performance.now();
        if (answeredAt !== null) reportConnected(pc);
        timers.push(setInterval(() => sendStats(pc), STATS_EVERY_MS));
      } else if (pc.connectionState === "failed") {
        reportFailed(pc, pc.iceConnectionState === "failed" ? "ice_failed" : "dtls_failed");
      }
    },
    iceChanged(pc) {
      if (pc.iceConnectionState === "disconnected") {
        timers.push(setTimeout(() => {
          if (pc.iceConnectionState === "disconnected") reportFailed(pc, "ice_disconnected");
        }, DISCONNECT_GIVE_UP_MS));
      }
    },
    /** The call is over: one closing sample (the service takes it within 30 s of the end), then nothing more. */
    async ended(pc) {
      clearTimers();
      if (connectedAt !== null) await sendStats(pc);
      answeredAt = null;
      connectedAt = null;
    },
  };
})();

function formatDuration(seconds) {
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return `${h ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

function listen(socket) {
  socket.on("callStarted", async ({ call_id }) => {
    demo.callId = call_id;
    demo.reports = noReports();
    setState("ringing");
    const pc = await peerConnection();
    await pc.setLocalDescription(await pc.createOffer());
    socket.emit("signalOffer", { call_id, offer: pc.localDescription.toJSON() });
  });
  socket.on("incomingCall", ({ call_id, caller_id, caller_info, with_video }) => {
    demo.callId = call_id;
    demo.reports = noReports();
    $("incomingText").textContent = `${caller_info.display_name || caller_id} is calling (${with_video ? "video" : "voice"})`;
    $("incoming").classList.remove("hidden");
    setState("ringing");
  });
  socket.on("signalOffer", async ({ call_id, offer }) => {
    if (demo.pc && demo.state === "connected") { // a renegotiation (ICE restart after a reconnect)
      await demo.pc.setRemoteDescription(offer);
      await demo.pc.setLocalDescription(await demo.pc.createAnswer());
      socket.emit("signalAnswer", { call_id, answer: demo.pc.localDescription.toJSON() });
      return;
    }
    pendingOffer = offer;
    offerWaiters.splice(0).forEach((resolve) => resolve(offer));
  });
  socket.on("signalAnswer", async ({ answer }) => {
    await demo.pc.setRemoteDescription(answer);
    await addRemoteCandidates();
  });
  socket.on("iceCandidate", async ({ candidate }) => {
    if (demo.pc && demo.pc.remoteDescription) await demo.pc.addIceCandidate(candidate);
    else remoteCandidates.push(candidate);
  });
  socket.on("callAccepted", ({ callee_id }) => {
    if (callee_id) quality.answered(); // the caller hears the answer (the callee marked it when answering)
    setState("connected");
    connectedAt = Date.now();
    durationTimer = setInterval(() => {
      $("duration").textContent = formatDuration(Math.floor((Date.now() - connectedAt) / 1000));
    }, 500);
  });
  socket.on("callAnsweredElsewhere", () => ended("answered elsewhere"));
  socket.on("callDeclined", ({ reason }) => ended(reason || "declined"));
  socket.on("callEnded", ({ reason, duration }) => ended(reason || "you hung up", duration));
  socket.on("mediaToggled", ({ user_id, media_type, state }) => {
    if (!user_id) return; // our own toggle, confirmed
    demo.peerMedia[media_type] = state;
    $("peerMedia").textContent = Object.entries(demo.peerMedia).map(([k, v]) => `${user_id} ${k} ${v}`).join(", ");
  });
  socket.on("peerDisconnected", ({ user_id }) => log(`${user_id} vanished; waiting for them to come back`));
  socket.on("peerReconnected", async ({ user_id }) => {
    log(`${user_id} is back`);
    if (demo.pc && demo.state === "connected" && demo.pc.localDescription?.type === "offer") {
      await demo.pc.setLocalDescription(await demo.pc.createOffer({ iceRestart: true }));
      socket.emit("signalOffer", { call_id: demo.callId, offer: demo.pc.localDescription.toJSON() });
    }
  });
}

demo.api = api;
$("connect").onclick = signIn;
$("call").onclick = startCall;
$("answer").onclick = answer;
$("decline").onclick = () => { demo.socket.emit("declineCall", { call_id: demo.callId }); };
$("hangup").onclick = () => demo.socket.emit("endCall", { call_id: demo.callId });
$("mute").onclick = () => toggle("audio");
$("camera").onclick = () => toggle("video");
if (params.get("me")) $("me").value = params.get("me");
if (params.get("peer")) $("peer").value = params.get("peer");
