// Runs the benchmark of issue 7: the calling service and the Node socket.io peer, one after the other (never both
// under load at once), driven by the same load generator (lib/worker.mjs, forked processes), and prints a table of
// figures and ratios. Usage (after `mvn package` and `npm ci`; bench/run.sh does both):
//   node bench/run.mjs [--quick] [--only=service|peer] [--figures=1,2,3,4,5,6] [--jfr=/tmp/x.jfr]
import { fork, spawn, execFileSync } from "node:child_process";
import { mkdirSync, rmSync, readFileSync, writeFileSync, openSync, existsSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { percentile, cpuSeconds, rssBytes, machineTicks } from "./lib/stats.mjs";
import { seed, rawScan } from "./lib/replay.mjs";
import { MongoClient } from "mongodb";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, "").split("=");
  return [k, v ?? true];
}));
const quick = Boolean(args.quick);
const figures = new Set(String(args.figures ?? "1,2,3,4,5,6").split(",").map(Number));
const only = args.only ? new Set(String(args.only).split(",")) : new Set(["service", "peer"]);

const P = quick ? {
  relayCalls: 500, relayWindow: 4, relayWarmupMs: 3000, relayMs: 8000,
  latencyCalls: 1000, latencyRate: 2000, latencyWarmupMs: 3000, latencyMs: 10000,
  setupConcurrency: Number(args["setup-concurrency"] ?? 32), setupWarmupMs: Number(args["setup-warmup-seconds"] ?? 3) * 1000,
  setupMs: 15000, probesPerSecond: 5,
  idleConnections: 2000, replayEvents: Number(args["replay-events"] ?? 30000), replayTimeoutMs: 60000,
} : {
  relayCalls: 500, relayWindow: 4, relayWarmupMs: 5000, relayMs: 20000,
  latencyCalls: 1000, latencyRate: 2000, latencyWarmupMs: 5000, latencyMs: 30000,
  setupConcurrency: Number(args["setup-concurrency"] ?? 32), setupWarmupMs: Number(args["setup-warmup-seconds"] ?? 150) * 1000,
  setupMs: 60000, probesPerSecond: 5,
  idleConnections: 10000, replayEvents: Number(args["replay-events"] ?? 1000000), replayTimeoutMs: Number(args["replay-seconds"] ?? 120) * 1000,
};
const GENERATORS = 2;
const LAG_LIMIT_MS = 10000; // lib/worker.mjs gives up on a probe after this long and records this value

const log = (...parts) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const workRoot = join(here, "work");
const runId = new Date().toISOString().replace(/[:.]/g, "-");

// ---------- the two systems ----------

async function waitForTokens(restUrl, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${restUrl}/api/dev/tokens`, {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user_id: "bench-ready" }),
      });
      if (res.ok) return;
    } catch { /* not up yet */ }
    await sleep(250);
  }
  throw new Error(`${restUrl} did not come up`);
}

/** The JVM flags the Dockerfile's ENTRYPOINT runs the service with: the bench measures the service as shipped. */
function shippedJvmFlags() {
  const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(readFileSync(join(root, "Dockerfile"), "utf8"));
  if (!entrypoint) throw new Error("no ENTRYPOINT [...] in the Dockerfile");
  return JSON.parse(entrypoint[1]).filter((arg) => arg.startsWith("-X"));
}

async function startService() {
  const dir = join(workRoot, runId, "service");
  mkdirSync(dir, { recursive: true });
  const restPort = 14005, sioPort = 14006;
  const jvm = ["-Daxoniq.update-checker.disabled=true", ...shippedJvmFlags()];
  const out = openSync(join(dir, "service.log"), "w");
  const child = spawn("java", [...jvm, "-jar", join(root, "calling-service/target/calling-service.jar")], {
    cwd: dir, stdio: ["ignore", out, out],
    env: {
      ...process.env, DIRECT_CALLING_PORT: String(restPort), SOCKET_IO_PORT: String(sioPort), CLOUD_HOST: "127.0.0.1",
      AXONIQ_UPDATE_CHECKER_DISABLED: "true", CALL_RATE_LIMIT: "1000000",
      CALLING_SOCKET_FLOODBURST: "1000000", CALLING_SOCKET_FLOODPERSECOND: "1000000",
      CALLING_RATELIMIT_AUTHFAILURES: "1000000",
    },
  });
  const restUrl = `http://127.0.0.1:${restPort}`;
  await waitForTokens(restUrl, 120000);
  const logText = readFileSync(join(dir, "service.log"), "utf8");
  if (args.jfr) {
    // recorded from here on, so that start-up does not fill the profile; written when the service stops
    execFileSync("jcmd", [String(child.pid), "JFR.start", "name=bench", "settings=profile", `filename=${resolve(String(args.jfr))}`], { stdio: "ignore" });
  }
  const mongoUri = /connection=(mongodb:\/\/[0-9.]+:\d+)/.exec(logText)?.[1];
  return {
    name: "service", pid: child.pid, child, restUrl, sioUrl: `http://127.0.0.1:${sioPort}`, mongoUri, dir,
    async memory() {
      execFileSync("jcmd", [String(child.pid), "GC.run"], { stdio: "ignore" });
      await sleep(500);
      const info = execFileSync("jcmd", [String(child.pid), "GC.heap_info"], { encoding: "utf8" });
      const usedK = Number(/used (\d+)K/.exec(info)[1]);
      return { heap: usedK * 1024, rss: rssBytes(child.pid) };
    },
  };
}

async function startPeer() {
  const dir = join(workRoot, runId, "peer");
  mkdirSync(dir, { recursive: true });
  const port = 14106;
  const out = openSync(join(dir, "peer.log"), "w");
  const child = spawn(process.execPath, ["--expose-gc", join(here, "peer.mjs")], {
    cwd: dir, stdio: ["ignore", out, out], env: { ...process.env, PORT: String(port) },
  });
  const restUrl = `http://127.0.0.1:${port}`;
  await waitForTokens(restUrl, 30000);
  return {
    name: "peer", pid: child.pid, child, restUrl, sioUrl: restUrl, dir,
    async memory() {
      const body = await (await fetch(`${restUrl}/bench/memory`)).json();
      await sleep(200);
      return { heap: body.heapUsed, rss: rssBytes(child.pid) };
    },
  };
}

async function stop(target) {
  if (target.child.exitCode !== null) return;
  if (target.name === "service" && args.jfr) {
    try { execFileSync("jcmd", [String(target.pid), "JFR.stop", "name=bench"], { stdio: "ignore" }); log(`JFR recording in ${args.jfr}`); } catch (e) { log(`JFR.stop failed: ${e.message}`); }
  }
  const exited = new Promise((r) => target.child.once("exit", r));
  target.child.kill("SIGTERM");
  await Promise.race([exited, sleep(20000)]);
  if (target.child.exitCode === null) { target.child.kill("SIGKILL"); await exited; }
}

// ---------- the load generator processes ----------

function startGenerators(target, count) {
  let seq = 0;
  return Promise.all(Array.from({ length: count }, (_, index) => new Promise((resolveWorker, reject) => {
    const child = fork(join(here, "lib/worker.mjs"), [], {
      env: { ...process.env, BENCH_WORKER: JSON.stringify({ restUrl: target.restUrl, sioUrl: target.sioUrl, index }) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const pending = new Map();
    child.on("message", (message) => {
      if (message.ready) {
        resolveWorker({
          pid: child.pid,
          call(phase, phaseArgs) {
            const id = ++seq;
            return new Promise((res, rej) => {
              pending.set(id, { res, rej });
              child.send({ id, phase, args: phaseArgs });
            });
          },
          stop() { child.kill("SIGTERM"); },
        });
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) waiter.res(message.result); else waiter.rej(new Error(message.error));
    });
    child.once("error", reject);
  })));
}

/** Runs one phase on every generator at once; returns their results and the target's CPU use meanwhile. */
async function onAll(generators, target, phase, argsOf) {
  const c0 = cpuSeconds(target.pid), t0 = performance.now(), m0 = machineTicks();
  const results = await Promise.all(generators.map((g, i) => g.call(phase, argsOf(i))));
  const seconds = (performance.now() - t0) / 1000, m1 = machineTicks();
  // the whole machine's busy share in cores: shows when something else (another test run) took CPU meanwhile
  const machineCpu = ((m1.busy - m0.busy) / (m1.total - m0.total)) * cpus().length;
  return { results, serverCpu: (cpuSeconds(target.pid) - c0) / seconds, machineCpu };
}

/** Waits until the target is idle again (under 10% of a core for a second), so one phase's tail does not load the next. */
async function quiesce(target, maxMs = 90000) {
  const until = performance.now() + maxMs;
  while (performance.now() < until) {
    const c0 = cpuSeconds(target.pid);
    await sleep(1000);
    if (cpuSeconds(target.pid) - c0 < 0.1) return;
  }
  log(`${target.name} still busy after ${maxMs / 1000} s; going on`);
}

const split = (total, parts, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

// ---------- the figures ----------

async function memoryFigure(target, generators) {
  // A first connect storm costs once what no later connection costs again: compiled code for the connect path,
  // classes, pool threads (native memory tracking of the service: code +22 MB, threads +9 MB, metaspace +7 MB over
  // the first 10,000). Both systems get the same warm-up storm, so that the difference below is per connection.
  await onAll(generators, target, "idleConnect",
    (i) => ({ count: split(Math.min(2000, P.idleConnections), generators.length, i), prefix: "idlewarm" }));
  await Promise.all(generators.map((g) => g.call("idleClose")));
  await sleep(2000);
  const before = await target.memory();
  const { results } = await onAll(generators, target, "idleConnect",
    (i) => ({ count: split(P.idleConnections, generators.length, i), prefix: "idle" }));
  const connected = sum(results.map((r) => r.connected));
  await sleep(3000);
  const after = await target.memory();
  await Promise.all(generators.map((g) => g.call("idleClose")));
  await sleep(2000);
  const result = {
    connections: connected, failed: sum(results.map((r) => r.failed)),
    heapPerConnection: (after.heap - before.heap) / connected, rssPerConnection: (after.rss - before.rss) / connected,
    before, after,
  };
  log(`${target.name} memory: ${connected} connections, heap +${fmtBytes(result.heapPerConnection)}/conn, RSS +${fmtBytes(result.rssPerConnection)}/conn`);
  return result;
}

async function relayThroughputFigure(target, generators) {
  // The same 500 calls driven by one generator process, then by two: if the second adds nothing, the generator
  // was not what limited the figure.
  const runs = [];
  for (const count of [1, 2]) {
    const active = generators.slice(0, count);
    const setup = await onAll(active, target, "relaySetup", (i) => ({ calls: split(P.relayCalls, count, i), prefix: `t${count}` }));
    const calls = sum(setup.results.map((r) => r.calls));
    const run = await onAll(active, target, "relayThroughput", () => ({ window: P.relayWindow, warmupMs: P.relayWarmupMs, durationMs: P.relayMs }));
    const received = sum(run.results.map((r) => r.received));
    const seconds = run.results[0].seconds;
    const generatorCpu = run.results.map((r) => r.cpuMs / 1000 / r.seconds);
    const entry = {
      generators: count, calls, perSecond: received / seconds, errors: sum(run.results.map((r) => r.errors)),
      generatorCpu, serverCpu: run.serverCpu, machineCpu: run.machineCpu,
    };
    runs.push(entry);
    log(`${target.name} relay throughput with ${count} generator(s): ${Math.round(entry.perSecond)} msg/s over ${calls} calls; generator CPU ${generatorCpu.map(pct).join(" + ")}, server CPU ${pct(run.serverCpu)}, machine ${run.machineCpu.toFixed(2)} cores busy`);
    await Promise.all(active.map((g) => g.call("relayTeardown")));
    await quiesce(target);
  }
  return { runs, perSecond: Math.max(...runs.map((r) => r.perSecond)) };
}

async function relayLatencyFigure(target, generators) {
  const n = generators.length;
  await onAll(generators, target, "relaySetup", (i) => ({ calls: split(P.latencyCalls, n, i), prefix: "lat" }));
  const run = await onAll(generators, target, "relayLatency",
    (i) => ({ rate: P.latencyRate / n, warmupMs: P.latencyWarmupMs, durationMs: P.latencyMs }));
  await Promise.all(generators.map((g) => g.call("relayTeardown")));
  const samples = run.results.flatMap((r) => r.samples);
  const result = {
    samples: samples.length, rate: sum(run.results.map((r) => r.sent)) / P.latencyMs * 1000,
    p50: percentile(samples, 50), p99: percentile(samples, 99), p999: percentile(samples, 99.9),
    lost: sum(run.results.map((r) => r.lost)), errors: sum(run.results.map((r) => r.errors)),
    generatorCpu: run.results.map((r) => r.cpuMs / 1000 / r.seconds), serverCpu: run.serverCpu, machineCpu: run.machineCpu,
  };
  log(`${target.name} relay latency at ${Math.round(result.rate)} msg/s: p50 ${ms(result.p50)} p99 ${ms(result.p99)} p99.9 ${ms(result.p999)} (${result.samples} samples, lost ${result.lost}, errors ${result.errors})`);
  return result;
}

async function setupFigure(target, generators) {
  const n = generators.length;
  const run = await onAll(generators, target, "setups", (i) => ({
    concurrency: split(P.setupConcurrency, n, i), warmupMs: P.setupWarmupMs, durationMs: P.setupMs, prefix: "s",
    probesPerSecond: target.name === "service" && i === 0 && figures.has(5) ? P.probesPerSecond : 0,
  }));
  const latencies = run.results.flatMap((r) => r.latencies);
  const lags = run.results.flatMap((r) => r.lags);
  const seconds = Math.max(...run.results.map((r) => r.seconds));
  const result = {
    completed: sum(run.results.map((r) => r.completed)), failed: sum(run.results.map((r) => r.failed)),
    perSecond: sum(run.results.map((r) => r.completed)) / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99),
    lastError: run.results.map((r) => r.lastError).find(Boolean) ?? null,
    lag: lags.length ? { samples: lags.length, p50: percentile(lags, 50), p99: percentile(lags, 99), max: Math.max(...lags) } : null,
    generatorCpu: run.results.map((r) => r.cpuMs / 1000 / r.seconds), serverCpu: run.serverCpu, machineCpu: run.machineCpu,
  };
  log(`${target.name} call setups: ${result.perSecond.toFixed(1)}/s, p50 ${ms(result.p50)} p99 ${ms(result.p99)}, failed ${result.failed}${result.lastError ? ` (last: ${result.lastError})` : ""}; generator CPU ${result.generatorCpu.map(pct).join(" + ")}, server CPU ${pct(result.serverCpu)}`);
  if (result.lag) log(`${target.name} projection lag: p50 ${ms(result.lag.p50)} p99 ${ms(result.lag.p99)} (${result.lag.samples} probes)`);
  return result;
}

/** A dev token from the service (`POST /api/dev/tokens`), for the given user (and roles). */
async function devToken(target, body) {
  return (await (await fetch(`${target.restUrl}/api/dev/tokens`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  })).json()).data.token;
}

/**
 * One call started and ended over the API, so that every processor stands at an event of today before the seeding.
 * A fresh service's processors stand at the start of the stream until they handle an event: run alone, figure 6
 * would otherwise have the live processors read every seeded event beside the rebuild.
 */
async function oneLiveCall(target) {
  const headers = { "content-type": "application/json", authorization: `Bearer ${await devToken(target, { user_id: "bench-live-a" })}` };
  const started = await (await fetch(`${target.restUrl}/api/calls/start`, {
    method: "POST", headers, body: JSON.stringify({ target_user_id: "bench-live-b" }),
  })).json();
  await fetch(`${target.restUrl}/api/calls/end`, {
    method: "POST", headers, body: JSON.stringify({ call_id: started.data.call_id }),
  });
  await sleep(3000); // the processors handle both events
}

async function replayFigure(target) {
  if (!target.mongoUri) throw new Error("no mongodb:// connection string in the service log");
  await oneLiveCall(target);
  log(`seeding ${P.replayEvents} events into domainevents`);
  const seeded = await seed(target.mongoUri, "dehive", P.replayEvents, log);
  log(`seeded ${seeded.written} events in ${seeded.seconds.toFixed(1)} s; collection holds ${seeded.total}`);
  const scan = await rawScan(target.mongoUri, "dehive");
  log(`raw driver scan: ${scan.count} documents in ${scan.seconds.toFixed(1)} s = ${Math.round(scan.perSecond)}/s`);
  const admin = await devToken(target, { user_id: "bench-admin", roles: ["admin"] });
  const url = `${target.restUrl}/api/admin/projections/call-history/replay`;
  const headers = { authorization: `Bearer ${admin}` };
  const startedAt = performance.now();
  // the start counts the store's events and waits for the processor to stop: slow on a big store
  const started = await fetch(url, { method: "POST", headers, signal: AbortSignal.timeout(P.replayTimeoutMs) });
  if (started.status !== 202) throw new Error(`replay refused: ${started.status} ${await started.text()}`);
  // Progress is the service's own count of replayed events (its progress endpoint, a counter: cheap to ask). The read
  // model is counted once, after the timed window, as a check: counting it (three scans of the calls collection)
  // every two seconds loaded the store the rebuild writes to, about a tenth of its work in a profile.
  let progress, processed = 0, lastChange = performance.now(), lastProcessed = 0;
  for (;;) {
    await sleep(2000);
    try {
      progress = (await (await fetch(url, { headers, signal: AbortSignal.timeout(30000) })).json()).data;
      processed = progress.events_processed;
      if (processed !== lastProcessed) { lastProcessed = processed; lastChange = performance.now(); }
      if (progress.done) break;
    } catch (e) {
      log(`replay progress not answered (${e.cause?.code ?? e.cause?.message ?? e.message})`);
    }
    if (performance.now() - startedAt > P.replayTimeoutMs) { log(`replay still running after ${P.replayTimeoutMs / 1000} s: reporting its rate so far`); break; }
    log(`replay: the service says ${processed} of ${seeded.written} seeded events processed`);
  }
  const elapsed = (lastChange - startedAt) / 1000;
  // started → a document, accepted → "connected", ended → "ended": the seeded events in the read model, exactly
  const client = new MongoClient(target.mongoUri);
  let inReadModel;
  try {
    await client.connect();
    const calls = client.db("dehive").collection("calls");
    const seededCalls = { caller_id: { $regex: "^seed" } };
    inReadModel = await calls.countDocuments(seededCalls)
      + await calls.countDocuments({ ...seededCalls, status: { $in: ["connected", "ended"] } })
      + await calls.countDocuments({ ...seededCalls, status: "ended" });
  } finally {
    await client.close();
  }
  const done = Boolean(progress?.done);
  // done: every seeded event is in the read model; still running: at least what the service had counted (its count
  // also holds the live call's two events, which are not seeded)
  const checked = done ? inReadModel === seeded.written : inReadModel >= processed - 2;
  log(`replay check: ${inReadModel} seeded events in the read model after the window (service said ${processed}, done=${done}): ${checked ? "consistent" : "INCONSISTENT"}`);
  const result = {
    events: seeded.total, processed, perSecond: processed / Math.max(elapsed, 0.001),
    done, inReadModel, checked, serviceSaid: progress,
    raw: scan, seeded: { events: seeded.written, perSecond: seeded.written / seeded.seconds },
  };
  log(`replay: ${JSON.stringify(progress)}`);
  return result;
}

// ---------- formatting ----------

const pct = (x) => `${Math.round(x * 100)}%`;
const ms = (x) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms` : "n/a");
function fmtBytes(b) {
  if (!Number.isFinite(b)) return "n/a";
  const a = Math.abs(b);
  return a >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : a >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${Math.round(b)} B`;
}
const num = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }) : "n/a");
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN);
const verdict = (ok) => (ok === null ? "—" : ok ? "met" : "NOT met");

function table(results) {
  const s = results.service ?? {}, p = results.peer ?? {};
  const rows = [];
  const row = (figure, ours, peer, r, goal, ok) => rows.push(`| ${figure} | ${ours} | ${peer} | ${r} | ${goal} | ${verdict(ok)} |`);
  const fx = (x) => (Number.isFinite(x) ? `${x >= 0.01 || x === 0 ? x.toFixed(2) : x.toFixed(4)}×` : "n/a");
  const both = (a, b) => Number.isFinite(a) && Number.isFinite(b);
  if (s.relay || p.relay) {
    const r = ratio(s.relay?.perSecond, p.relay?.perSecond);
    row("1. relay throughput, 500 calls (msg/s)", num(s.relay?.perSecond), num(p.relay?.perSecond), fx(r), "≥ 1.5× peer", Number.isFinite(r) ? r >= 1.5 : null);
  }
  if (s.latency || p.latency) {
    row("2. relay latency p50 @2,000 msg/s, 1,000 calls", ms(s.latency?.p50), ms(p.latency?.p50), fx(ratio(s.latency?.p50, p.latency?.p50)), "", null);
    const r = ratio(s.latency?.p99, p.latency?.p99);
    row("2. relay latency p99", ms(s.latency?.p99), ms(p.latency?.p99), fx(r), "≤ peer", Number.isFinite(r) ? r <= 1 : null);
    row("2. relay latency p99.9", ms(s.latency?.p999), ms(p.latency?.p999), fx(ratio(s.latency?.p999, p.latency?.p999)), "", null);
  }
  if (s.setup || p.setup) {
    const r = ratio(s.setup?.perSecond, p.setup?.perSecond);
    row(`3. call setups/s (whole flow; ours persisted), ${P.setupConcurrency} in flight`, num(s.setup?.perSecond, 1), num(p.setup?.perSecond, 1), fx(r),
      "≥ 200/s and ≥ 0.5× peer", both(s.setup?.perSecond, p.setup?.perSecond) ? s.setup.perSecond >= 200 && r >= 0.5 : null);
    row("3. call setup p99", ms(s.setup?.p99), ms(p.setup?.p99), fx(ratio(s.setup?.p99, p.setup?.p99)), "", null);
  }
  if (s.memory || p.memory) {
    const r = ratio(s.memory?.rssPerConnection, p.memory?.rssPerConnection);
    row(`4. RSS per idle authenticated connection (${num(s.memory?.connections ?? p.memory?.connections)} conns)`, fmtBytes(s.memory?.rssPerConnection), fmtBytes(p.memory?.rssPerConnection), fx(r), "≤ peer", Number.isFinite(r) ? r <= 1 : null);
    const h = ratio(s.memory?.heapPerConnection, p.memory?.heapPerConnection);
    row("4. heap after GC per connection", fmtBytes(s.memory?.heapPerConnection), fmtBytes(p.memory?.heapPerConnection), fx(h), "≤ peer", Number.isFinite(h) ? h <= 1 : null);
  }
  if (s.setup?.lag) {
    row("5. projection lag p50 (append → GET /api/calls/active)", s.setup.lag.p50 >= LAG_LIMIT_MS ? `≥ ${LAG_LIMIT_MS / 1000} s` : ms(s.setup.lag.p50), "in memory, none", "", "", null);
    const capped = (x) => (x >= LAG_LIMIT_MS ? `≥ ${LAG_LIMIT_MS / 1000} s (probe limit)` : ms(x));
    row("5. projection lag p99", capped(s.setup.lag.p99), "", "", "≤ 100 ms", s.setup.lag.p99 <= 100);
  }
  if (s.replay?.raw) {
    const r = ratio(s.replay.perSecond, s.replay.raw.perSecond);
    row(`6. replay call-history, ${num(s.replay.events)} events (events/s)${s.replay.done ? "" : `, first ${num(s.replay.processed)} only`}${s.replay.checked === false ? ", READ MODEL INCONSISTENT" : ""}`, num(s.replay.perSecond), `raw scan ${num(s.replay.raw.perSecond)}`, fx(r), "≥ 0.25× raw scan", Number.isFinite(r) ? r >= 0.25 : null);
  }
  return ["| figure | calling service | Node peer | ratio | goal | |", "|---|---:|---:|---:|---|---|", ...rows].join("\n");
}

function generatorTable(results) {
  const lines = ["| phase | system | generator CPU (per process, of one core) | target CPU (of one core) | whole machine (cores busy of 2) |", "|---|---|---|---|---|"];
  const mc = (x) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");
  for (const name of ["service", "peer"]) {
    const r = results[name];
    if (!r) continue;
    for (const run of r.relay?.runs ?? []) lines.push(`| relay throughput, ${run.generators} generator(s): ${num(run.perSecond)} msg/s | ${name} | ${run.generatorCpu.map(pct).join(" + ")} | ${pct(run.serverCpu)} | ${mc(run.machineCpu)} |`);
    if (r.latency) lines.push(`| relay latency @2,000 msg/s | ${name} | ${r.latency.generatorCpu.map(pct).join(" + ")} | ${pct(r.latency.serverCpu)} | ${mc(r.latency.machineCpu)} |`);
    if (r.setup) lines.push(`| call setups | ${name} | ${r.setup.generatorCpu.map(pct).join(" + ")} | ${pct(r.setup.serverCpu)} | ${mc(r.setup.machineCpu)} |`);
  }
  return lines.join("\n");
}

// ---------- main ----------

async function measure(name) {
  const target = name === "service" ? await startService() : await startPeer();
  log(`${name} up (pid ${target.pid})`);
  const generators = await startGenerators(target, GENERATORS);
  const out = {};
  try {
    const step = async (key, figure, fn) => {
      if (!figure) return;
      await quiesce(target);
      try { out[key] = await fn(); } catch (e) { log(`${name} ${key} failed: ${e.message} ${e.cause?.code ?? e.cause?.message ?? ""}`); out[key] = { error: e.message }; }
    };
    await step("memory", figures.has(4), () => memoryFigure(target, generators));
    await step("setup", figures.has(3) || (figures.has(5) && name === "service"), () => setupFigure(target, generators));
    await step("relay", figures.has(1), () => relayThroughputFigure(target, generators));
    await step("latency", figures.has(2), () => relayLatencyFigure(target, generators));
    if (name === "service") await step("replay", figures.has(6), () => replayFigure(target));
  } finally {
    generators.forEach((g) => g.stop());
    await stop(target);
    log(`${name} stopped`);
  }
  return out;
}

const results = {};
for (const name of ["service", "peer"]) if (only.has(name)) results[name] = await measure(name);

mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "latest.json"), JSON.stringify({ runId, quick, params: P, results }, (k, v) => (k === "samples" && Array.isArray(v) ? undefined : v), 2));
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${execFileSync("java", ["-version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim() || "java"}`;
const report = [
  `Run ${runId}${quick ? " (--quick)" : ""} on ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  "",
  table(results),
  "",
  "Load generator (the same for both):",
  "",
  generatorTable(results),
].join("\n");
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "latest.md"), report + "\n");
console.log(report);
process.exit(0);
