// The baseline: a minimal Node socket.io 4.x server with the original's /rtc call events and relay, the payload
// shapes of PROTOCOL.md, everything in memory (no persistence), tuned as far as that stack goes: websocket transport
// only, no per-message deflate, no HTTP compression. It trusts `auth.token` as the user id, and answers
// `POST /api/dev/tokens {user_id}` with that id as the token, so the load generator runs the same flow against both.
//   PORT=4106 node bench/peer.mjs
import http from "node:http";
import { randomUUID } from "node:crypto";
import { Server } from "socket.io";

const port = Number(process.env.PORT ?? 4106);
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

const httpServer = http.createServer((req, res) => {
  const reply = (status, body) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (req.method === "POST" && req.url === "/api/dev/tokens") {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      let userId;
      try { userId = JSON.parse(body).user_id; } catch { userId = null; }
      if (typeof userId !== "string" || !USER_ID.test(userId)) {
        return reply(400, { success: false, statusCode: 400, message: "Invalid user_id", code: "VALIDATION_FAILED" });
      }
      reply(201, { success: true, statusCode: 201, message: "Token issued", data: { token: userId, user_id: userId } });
    });
    return;
  }
  if (req.method === "GET" && req.url === "/bench/memory") {
    // what the bench reads for the memory figure: heap after a full GC (with --expose-gc) and RSS
    if (global.gc) global.gc();
    const usage = process.memoryUsage();
    return reply(200, { heapUsed: usage.heapUsed, rss: usage.rss, sockets: io.of("/rtc").sockets.size });
  }
  reply(404, { success: false, statusCode: 404, message: "Not found" });
});

const io = new Server(httpServer, {
  path: "/socket.io",
  transports: ["websocket"],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  cors: { origin: "*" },
});

const calls = new Map(); // call_id -> { call_id, caller, callee, callerInfo, calleeInfo, status, with_video, with_audio, created_at, started_at }
const activeCallOf = new Map(); // user id -> call_id
const now = () => new Date().toISOString();
const info = (userId) => ({ _id: userId, username: userId, display_name: null, avatar_ipfs_hash: null });

const rtc = io.of("/rtc");
rtc.use((socket, next) => {
  const token = socket.handshake.auth?.token;
  if (typeof token !== "string" || !USER_ID.test(token)) {
    const error = new Error("Authentication required");
    error.data = { code: "AUTHENTICATION_REQUIRED" };
    return next(error);
  }
  socket.data.userId = token;
  next();
});

rtc.on("connection", (socket) => {
  const me = socket.data.userId;
  socket.join(`user:${me}`);
  const fail = (ack, code, message) => {
    const error = { message, code, timestamp: now() };
    socket.emit("error", error);
    if (ack) ack({ ok: false, error: { code, message } });
  };
  const on = (event, handler) => socket.on(event, (raw, ack) => {
    if (typeof raw === "function") { ack = raw; raw = undefined; }
    let payload = raw;
    if (typeof raw === "string") {
      try { payload = JSON.parse(raw); } catch { return fail(ack, "INVALID_FORMAT", "The payload is not valid JSON"); }
    }
    if (payload === null || typeof payload !== "object") return fail(ack, "VALIDATION_FAILED", "A payload is required");
    try {
      const data = handler(payload);
      if (ack) ack({ ok: true, data });
    } catch (e) {
      fail(ack, e.code ?? "INTERNAL", e.message);
    }
  });
  const refuse = (code, message) => Object.assign(new Error(message), { code });
  const callFor = (callId) => {
    const call = typeof callId === "string" ? calls.get(callId) : undefined;
    if (!call) throw refuse("CALL_NOT_FOUND", "Call not found");
    if (call.caller !== me && call.callee !== me) throw refuse("NOT_A_PARTICIPANT", "Not a participant");
    return call;
  };
  const other = (call) => (call.caller === me ? call.callee : call.caller);

  socket.on("ping", () => socket.emit("pong", { timestamp: now(), message: "pong" }));
  socket.on("identity", () => socket.emit("identityConfirmed", { userDehiveId: me, status: "success", timestamp: now() }));

  on("startCall", ({ target_user_id, with_video = true, with_audio = true }) => {
    if (typeof target_user_id !== "string" || !USER_ID.test(target_user_id)) throw refuse("VALIDATION_FAILED", "target_user_id is invalid");
    if (target_user_id === me) throw refuse("SELF_CALL", "You cannot call yourself");
    if (activeCallOf.has(me)) throw refuse("ALREADY_IN_CALL", "You are already in a call");
    if (activeCallOf.has(target_user_id)) throw refuse("ALREADY_IN_CALL", "The user is busy");
    const call = { call_id: randomUUID(), caller: me, callee: target_user_id, status: "ringing", with_video, with_audio, created_at: now() };
    calls.set(call.call_id, call);
    activeCallOf.set(me, call.call_id);
    activeCallOf.set(target_user_id, call.call_id);
    const timestamp = now();
    socket.emit("callStarted", { call_id: call.call_id, status: "ringing", target_user_id, timestamp });
    rtc.to(`user:${target_user_id}`).emit("incomingCall", {
      call_id: call.call_id, caller_id: me, caller_info: info(me), with_video, with_audio, timestamp,
    });
    return { call_id: call.call_id, status: "ringing", target_user_id, with_video, with_audio, created_at: call.created_at };
  });

  on("acceptCall", ({ call_id, with_video = true, with_audio = true }) => {
    const call = callFor(call_id);
    if (call.callee !== me || call.status !== "ringing") throw refuse("INVALID_CALL_STATE", "The call cannot be accepted");
    call.status = "connected";
    call.started_at = Date.now();
    const timestamp = now();
    socket.emit("callAccepted", { call_id, status: "connected", timestamp });
    rtc.to(`user:${call.caller}`).emit("callAccepted", { call_id, callee_id: me, callee_info: info(me), with_video, with_audio, timestamp });
    return { call_id, status: "connected", with_video, with_audio, started_at: timestamp };
  });

  on("declineCall", ({ call_id }) => {
    const call = callFor(call_id);
    if (call.callee !== me || call.status !== "ringing") throw refuse("INVALID_CALL_STATE", "The call cannot be declined");
    finish(call, "declined");
    const timestamp = now();
    socket.emit("callDeclined", { call_id, status: "declined", timestamp });
    rtc.to(`user:${call.caller}`).emit("callDeclined", { call_id, callee_id: me, reason: "user_declined", timestamp });
    return { call_id, status: "declined", end_reason: "user_declined", ended_at: timestamp };
  });

  on("endCall", ({ call_id }) => {
    const call = callFor(call_id);
    if (call.status !== "ringing" && call.status !== "connected") throw refuse("INVALID_CALL_STATE", "The call is over");
    const reason = call.status === "connected" ? "user_hangup" : "cancelled";
    const duration = call.started_at ? Math.floor((Date.now() - call.started_at) / 1000) : undefined;
    finish(call, "ended");
    const timestamp = now();
    socket.emit("callEnded", { call_id, status: "ended", duration, timestamp });
    rtc.to(`user:${other(call)}`).emit("callEnded", { call_id, ended_by: me, reason, duration, timestamp });
    return { call_id, status: "ended", end_reason: reason, duration_seconds: duration, ended_at: timestamp };
  });

  const relay = (event, field, extra) => on(event, (message) => {
    const call = callFor(message.call_id);
    if (call.status !== "ringing" && call.status !== "connected") throw refuse("INVALID_CALL_STATE", "The call is over");
    const body = message[field];
    if (body === null || (typeof body !== "object" && typeof body !== "string")) throw refuse("VALIDATION_FAILED", `${field}: must be an object or a string`);
    rtc.to(`user:${other(call)}`).emit(event, {
      call_id: call.call_id, [field]: body, ...extra(message), metadata: message.metadata ?? null, from_user_id: me, timestamp: now(),
    });
    return undefined;
  });
  relay("signalOffer", "offer", () => ({}));
  relay("signalAnswer", "answer", () => ({}));
  relay("iceCandidate", "candidate", (m) => ({ sdpMLineIndex: m.sdpMLineIndex ?? null, sdpMid: m.sdpMid ?? null }));
});

function finish(call, status) {
  call.status = status;
  activeCallOf.delete(call.caller);
  activeCallOf.delete(call.callee);
  calls.delete(call.call_id); // in memory only: nothing is kept of a finished call
}

httpServer.listen(port, "127.0.0.1", () => console.log(`event=peer_listening port=${port}`));
