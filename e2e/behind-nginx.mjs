// Two service nodes behind nginx (deploy/nginx.conf): one public port for REST and Socket.IO. Clients connect from
// different loopback addresses, so nginx's hash by client address puts them on different nodes; a whole call between
// a user on each node must work through the proxy, with relayed messages in order and none doubled.
// Usage: node behind-nginx.mjs <public base url>
import http from "node:http";
import { io } from "socket.io-client";

const base = process.argv[2];
const WAIT_MS = 15000;

async function api(path, { method = "GET", token, body, localAddress } = {}) {
  const url = new URL(path, base);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method, localAddress,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode, body: JSON.parse(text) }));
    });
    request.on("error", reject);
    if (payload) request.write(payload);
    request.end();
  });
}

function client(user, token, localAddress) {
  const socket = io(new URL("/rtc", base).toString(), {
    transports: ["websocket"], auth: { token }, reconnection: false, forceNew: true,
    agent: new http.Agent({ localAddress }),
  });
  const heard = [];
  socket.onAny((event, payload) => heard.push({ event, payload }));
  const next = (event, predicate = () => true) => new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const found = heard.find((h) => h.event === event && predicate(h.payload));
      if (found) return resolve(found.payload);
      if (Date.now() - started > WAIT_MS) return reject(new Error(`${user} never heard ${event}`));
      setTimeout(poll, 20);
    };
    poll();
  });
  const connected = new Promise((resolve, reject) => {
    socket.on("connect", resolve);
    socket.on("connect_error", (error) => reject(new Error(`${user} was refused: ${error.message}`)));
  });
  return { user, socket, heard, next, connected, events: (name) => heard.filter((h) => h.event === name) };
}

async function token(user, localAddress) {
  const answer = await api("/api/dev/tokens", { method: "POST", body: { user_id: user }, localAddress });
  if (answer.status !== 200) throw new Error(`no token for ${user}: ${JSON.stringify(answer.body)}`);
  return answer.body.data.token;
}

async function nodeOf(user, asToken) {
  for (let i = 0; i < 50; i++) {
    const answer = await api(`/api/presence/${user}`, { token: asToken });
    if (answer.body.data.nodes.length) return answer.body.data.nodes[0];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${user} never showed as online`);
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const run = Date.now().toString(36);
const clients = [];
try {
  // users from different client addresses until two of them sit on different nodes
  let caller;
  let callee;
  for (let i = 2; i < 40 && !callee; i++) {
    const address = `127.0.0.${i}`;
    const user = `nginx-${run}-${i}`;
    const userToken = await token(user, address);
    const c = client(user, userToken, address);
    clients.push(c);
    await c.connected;
    c.node = await nodeOf(user, userToken);
    c.token = userToken;
    if (!caller) caller = c;
    else if (c.node !== caller.node) callee = c;
  }
  assert(callee, "nginx sent every client address to the same node");
  console.log(`caller on ${caller.node}, callee on ${callee.node}, both through ${base}`);

  caller.socket.emit("startCall", { target_user_id: callee.user });
  const callId = (await caller.next("callStarted")).call_id;
  await callee.next("incomingCall", (p) => p.call_id === callId);
  callee.socket.emit("acceptCall", { call_id: callId });
  await caller.next("callAccepted", (p) => p.call_id === callId);

  caller.socket.emit("signalOffer", { call_id: callId, offer: { type: "offer", sdp: "o" } });
  await callee.next("signalOffer");
  callee.socket.emit("signalAnswer", { call_id: callId, answer: { type: "answer", sdp: "a" } });
  await caller.next("signalAnswer");
  for (let i = 0; i < 100; i++) {
    caller.socket.emit("iceCandidate", { call_id: callId, candidate: { candidate: `c-${i}` }, sdpMid: "0", sdpMLineIndex: 0 });
  }
  await callee.next("iceCandidate", (p) => p.candidate.candidate === "c-99");
  caller.socket.emit("endCall", { call_id: callId });
  await callee.next("callEnded", (p) => p.call_id === callId);
  await caller.next("callEnded", (p) => p.call_id === callId);
  await new Promise((resolve) => setTimeout(resolve, 300));

  const got = callee.events("iceCandidate").map((h) => h.payload.candidate.candidate);
  assert(got.length === 100, `the callee heard ${got.length} candidates, not 100`);
  assert(got.every((name, i) => name === `c-${i}`), "candidates arrived out of order");
  assert(callee.events("incomingCall").length === 1, "incomingCall was doubled");
  assert(caller.events("callEnded").filter((h) => h.payload.call_id === callId).length === 1, "callEnded was doubled");

  const history = await api("/api/calls/history", { token: caller.token });
  assert(history.body.data.calls[0].call_id === callId, "the call is not in the caller's history");
  console.log("PASS two nodes behind nginx: a whole call across the nodes, 100 candidates in order, none doubled");
} catch (error) {
  console.error(`FAIL ${error.message}`);
  process.exitCode = 1;
} finally {
  for (const c of clients) c.socket.disconnect();
}
