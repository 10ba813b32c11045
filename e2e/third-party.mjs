// A third-party front-end: the demo page served by a web server of its own (another origin than the service), making
// a whole call in two headless Chromium pages through CORS: REST with bearer tokens (dev tokens, presence, ICE
// servers, the active call, history) and the socket on long-polling (the caller) and polling upgraded to a websocket
// (the callee). Then a page from an origin CORS_ALLOWED_ORIGINS does not name: the browser refuses it the answers.
// Usage: node third-party.mjs <service url> <allowed page port> <other page port> <screenshot dir>
// The service runs with CORS_ALLOWED_ORIGINS=http://127.0.0.1:<allowed page port>.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { mkdirSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { checks, inbound, launch, sleep } from "./chromium.mjs";

const [service, allowedPort, otherPort, shots] = process.argv.slice(2);
const { check, summary } = checks("third-party e2e");
mkdirSync(shots, { recursive: true });

// the demo's files, served as any web host would serve a front-end's
const root = fileURLToPath(new URL("../calling-service/src/main/resources/static/demo/", import.meta.url));
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
function serve(port) {
  const server = createServer(async (request, response) => {
    const path = normalize(new URL(request.url, "http://page").pathname).replace(/^\/+/, "") || "index.html";
    try {
      const body = await readFile(join(root, path));
      response.writeHead(200, { "Content-Type": types[extname(path)] || "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(Number(port), "127.0.0.1", () => resolve(server)));
}
const pages = [await serve(allowedPort), await serve(otherPort)];

const browser = await launch();
const run = Date.now().toString(36);
const alice = `alice-3p-${run}`;
const bob = `bob-3p-${run}`;

async function open(port, me, peer, transports) {
  const page = await (await browser.newContext()).newPage();
  page.on("pageerror", (error) => console.log(`[${me}] page error: ${error.message}`));
  const query = new URLSearchParams({ service, relay: "1", transports, me, peer });
  await page.goto(`http://127.0.0.1:${port}/index.html?${query}`);
  return page;
}

async function signIn(page, me) {
  await page.click("#connect");
  await page.waitForFunction((who) => document.getElementById("whoami").textContent.includes(who), me,
    { timeout: 15000 });
}

try {
  const caller = await open(allowedPort, alice, bob, "polling");
  const callee = await open(allowedPort, bob, alice, "polling,websocket");
  await signIn(caller, alice);
  await signIn(callee, bob);
  check("both pages mint tokens and sign in from another origin", true);
  check("the caller's socket stays on long-polling",
    await caller.evaluate(() => window.demo.socket.io.engine.transport.name) === "polling");
  await callee.waitForFunction(() => window.demo.socket.io.engine.transport.name === "websocket", null,
    { timeout: 10000 });
  check("the callee's socket upgrades from polling to a websocket", true);

  await caller.waitForFunction(() => document.getElementById("presence").textContent.includes("online"), null,
    { timeout: 10000 });
  check("the caller reads the callee's presence", true);

  const servers = await caller.evaluate(() => window.demo.api("/api/turn/ice-servers"));
  check("the page reads its ICE servers with its bearer token",
    servers.iceServers.some((server) => [].concat(server.urls).some((url) => url.startsWith("turn:"))),
    JSON.stringify(servers.iceServers.map((server) => server.urls)));

  await caller.click("#call");
  await callee.waitForSelector("#incoming:not(.hidden)");
  await callee.click("#answer");
  const connected = (page) => page.waitForFunction(() => window.demo.pc?.connectionState === "connected",
    null, { timeout: 30000 });
  await Promise.all([connected(caller), connected(callee)]);
  check("both peer connections reach connected through coturn", true);

  const callId = await caller.evaluate(() => window.demo.callId);
  let active = null;
  for (let i = 0; i < 20 && active?.status !== "connected"; i++) {
    active = await callee.evaluate(() => window.demo.api("/api/calls/active"));
    if (active?.status !== "connected") await sleep(250);
  }
  check("the callee's page reads the call as its active call", active?.call_id === callId
    && active.status === "connected", JSON.stringify(active && { call_id: active.call_id, status: active.status }));

  const before = [await inbound(caller), await inbound(callee)];
  await sleep(2000);
  const after = [await inbound(caller), await inbound(callee)];
  check("audio and video flow both ways", [0, 1].every((i) => after[i].audio > before[i].audio
    && after[i].video > before[i].video), JSON.stringify({ before, after }));
  await caller.screenshot({ path: `${shots}/third-party-caller.png` });

  await caller.click("#mute");
  await callee.waitForFunction(() => window.demo.peerMedia.audio === "muted", null, { timeout: 10000 });
  check("a mute over long-polling shows on the other page", true);

  await callee.click("#hangup");
  const over = (page) => page.waitForFunction(() => window.demo.state.startsWith("ended"), null, { timeout: 10000 });
  await Promise.all([over(caller), over(callee)]);
  check("a hang-up ends both pages", true);
  let last = null;
  for (let i = 0; i < 20 && last?.status !== "ended"; i++) {
    last = (await caller.evaluate(() => window.demo.api("/api/calls/history?limit=1&offset=0"))).calls[0];
    if (last?.status !== "ended") await sleep(250);
  }
  check("the caller's page reads the call hung up in its history", last?.call_id === callId
    && last.status === "ended" && last.end_reason === "user_hangup", JSON.stringify(last));

  // an origin the service does not allow: the same requests, and the browser keeps every answer from the page
  const token = (await (await fetch(`${service}/api/dev/tokens`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ user_id: alice }),
  })).json()).data.token;
  const stranger = await open(otherPort, alice, bob, "polling");
  const refused = await stranger.evaluate(async ({ base, bearer }) => {
    const attempt = async (path) => {
      try {
        const response = await fetch(base + path, { headers: { Authorization: `Bearer ${bearer}` } });
        return `read ${response.status}`;
      } catch (error) {
        return error.name;
      }
    };
    return { servers: await attempt("/api/turn/ice-servers"), active: await attempt("/api/calls/active") };
  }, { base: service, bearer: token });
  check("a page of another origin cannot read the ICE servers", refused.servers === "TypeError", refused.servers);
  check("a page of another origin cannot read the active call", refused.active === "TypeError", refused.active);
  const socketPort = (await (await fetch(`${service}/demo/config`)).json()).socket_port;
  const socketRefused = await stranger.evaluate(({ url, bearer }) => new Promise((resolve) => {
    const socket = io(url, { transports: ["polling"], auth: { token: bearer }, reconnection: false, timeout: 5000 });
    socket.on("connect", () => { socket.close(); resolve("connected"); });
    socket.on("connect_error", (error) => { socket.close(); resolve(`refused: ${error.message}`); });
  }), { url: `http://127.0.0.1:${socketPort}/rtc`, bearer: token });
  check("a page of another origin cannot open a polling socket", socketRefused.startsWith("refused"), socketRefused);
} catch (error) {
  check("no unexpected error", false, error.stack || error);
} finally {
  await browser.close();
  pages.forEach((server) => server.close());
}
process.exit(summary());
