// Measures the calling service and the Node socket.io peer one after the other (never both under load at once), driven
// by the same load generator (lib/worker.mjs, forked processes), on two cores and then on one, and prints a table of
// figures, ratios and goals per core count. Usage (after `mvn package` and `npm ci`; bench/run.sh does both):
//   node bench/run.mjs [--quick] [--cores=2,1] [--only=service|peer] [--figures=1,...,9] [--jfr=/tmp/x.jfr]
// On one core, the service (or the peer) runs on CPU 0 (taskset) and the generators and this process on CPU 1.
import { fork, spawn, spawnSync, execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, openSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { percentile, cpuSeconds, rssBytes, machineTicks, cpuSampler } from "./lib/stats.mjs";
import { seed, rawScan, tokenPositions } from "./lib/replay.mjs";
import { serviceCommand } from "./lib/launch.mjs";
import { MongoClient } from "mongodb";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, "").split("=");
  return [k, v ?? true];
}));
const quick = Boolean(args.quick);
const figures = new Set(String(args.figures ?? "1,2,3,4,5,6,7,8,9").split(",").map(Number));
const only = args.only ? new Set(String(args.only).split(",")) : new Set(["service", "peer"]);
const coreCounts = String(args.cores ?? "2,1").split(",").map(Number);

const P = quick ? {
  relayCalls: 500, relayWindow: 4, relayWarmupMs: 3000, relayMs: 8000,
  latencyCalls: 1000, latencyRate: 2000, latencyWarmupMs: 3000, latencyMs: 10000,
  setupConcurrency: Number(args["setup-concurrency"] ?? 32), setupWarmupMs: Number(args["setup-warmup-seconds"] ?? 30) * 1000,
  setupMs: 15000, idleConnections: 2000, idleSocketsMs: 26000, idleMs: 15000,
  replayEvents: Number(args["replay-events"] ?? 30000), replayTimeoutMs: 60000,
  starts: Number(args.starts ?? 1), coldRelayMs: 20000, coldCalls: 100, coldWindow: 20, coldWarmMs: 8000,
} : {
  relayCalls: 500, relayWindow: 4, relayWarmupMs: 5000, relayMs: 20000,
  latencyCalls: 1000, latencyRate: 2000, latencyWarmupMs: 5000, latencyMs: 30000,
  setupConcurrency: Number(args["setup-concurrency"] ?? 32), setupWarmupMs: Number(args["setup-warmup-seconds"] ?? 150) * 1000,
  setupMs: 60000, idleConnections: 10000, idleSocketsMs: 51000, idleMs: 30000,
  replayEvents: Number(args["replay-events"] ?? 300000), replayTimeoutMs: Number(args["replay-seconds"] ?? 120) * 1000,
  starts: Number(args.starts ?? 3), coldRelayMs: 40000, coldCalls: 100, coldWindow: 20, coldWarmMs: 15000,
};
const GENERATORS = 2;
const COLD_WINDOW = [7, 10]; // figure 8 reads the cold run in the seconds [7, 10) after the process started

const log = (...parts) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const workRoot = join(here, "work");
const runId = new Date().toISOString().replace(/[:.]/g, "-");

// ---------- placement: two cores, or the target on CPU 0 and everything else on CPU 1 ----------

/** The command prefix that runs a target on `cores` cores (one: CPU 0). */
const pinTarget = (cores) => (cores === 1 ? ["taskset", "-c", "0"] : []);
/** Moves a running process (all its threads) to the CPUs left for the load: CPU 1 on one core, both otherwise. */
function pinLoad(pid, cores) {
  execFileSync("taskset", ["-a", "-p", "-c", cores === 1 ? "1" : `0-${cpus().length - 1}`, String(pid)], { stdio: "ignore" });
}

// ---------- the two systems ----------

async function waitUntil(probe, timeoutMs, everyMs = 20) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try { if (await probe()) return; } catch { /* not up yet */ }
    await sleep(everyMs);
  }
  throw new Error("did not come up");
}

const healthUp = (restUrl) => async () => {
  const res = await fetch(`${restUrl}/actuator/health`, { signal: AbortSignal.timeout(2000) });
  return res.ok && (await res.json()).status === "UP";
};
const tokensAnswer = (restUrl) => async () => (await fetch(`${restUrl}/api/dev/tokens`, {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user_id: "bench-ready" }),
  signal: AbortSignal.timeout(2000),
})).ok;

/** Starts the service as shipped, in a fresh directory (an empty embedded store), and waits until health says UP. */
/** jcmd of the JDK the service runs on (a jcmd of another release may not read its answers the same way). */
function jcmd() {
  try { return readFileSync(join(root, "calling-service/target/app/calling-service.aot.jvm"), "utf8").trim().replace(/java$/, "jcmd"); } catch { return "jcmd"; }
}

async function startService(cores, label) {
  const dir = join(workRoot, runId, `service-${cores}core-${label}`);
  mkdirSync(dir, { recursive: true });
  const restPort = 14005, sioPort = 14006;
  const { command, argv, env: launchEnv } = serviceCommand(root);
  const out = openSync(join(dir, "service.log"), "w");
  const origin = Date.now();
  const child = spawn(...splitCommand([...pinTarget(cores), command, ...argv]), {
    cwd: dir, stdio: ["ignore", out, out],
    env: {
      ...process.env, DIRECT_CALLING_PORT: String(restPort), SOCKET_IO_PORT: String(sioPort), CLOUD_HOST: "127.0.0.1",
      AXONIQ_UPDATE_CHECKER_DISABLED: "true", CALL_RATE_LIMIT: "1000000",
      CALLING_SOCKET_FLOODBURST: "1000000", CALLING_SOCKET_FLOODPERSECOND: "1000000",
      CALLING_RATELIMIT_AUTHFAILURES: "1000000", ...launchEnv,
    },
  });
  const cpu = cpuSampler(child.pid);
  const restUrl = `http://127.0.0.1:${restPort}`;
  await waitUntil(healthUp(restUrl), 120000);
  const readyMs = Date.now() - origin;
  const logText = readFileSync(join(dir, "service.log"), "utf8");
  const mongoUri = /connection=(mongodb:\/\/[0-9.]+:\d+)/.exec(logText)?.[1];
  return {
    name: "service", pid: child.pid, child, cpu, restUrl, sioUrl: `http://127.0.0.1:${sioPort}`, mongoUri, dir, origin, readyMs,
    async memory() {
      execFileSync(jcmd(), [String(child.pid), "GC.run"], { stdio: "ignore" });
      await sleep(500);
      const info = execFileSync(jcmd(), [String(child.pid), "GC.heap_info"], { encoding: "utf8" });
      // G1 reports one heap, the serial collector (one CPU) its two generations: the heap is their sum
      const usedK = [...info.matchAll(/^\s*(?:garbage-first heap|def new generation|tenured generation|DefNew|Tenured)\b.*?used (\d+)K/gm)]
        .reduce((total, m) => total + Number(m[1]), 0);
      return { heap: usedK * 1024, rss: rssBytes(child.pid) };
    },
    async metrics() {
      return (await fetch(`${restUrl}/actuator/prometheus`, { signal: AbortSignal.timeout(10000) })).text();
    },
  };
}

async function startPeer(cores, label) {
  const dir = join(workRoot, runId, `peer-${cores}core-${label}`);
  mkdirSync(dir, { recursive: true });
  const port = 14106;
  const out = openSync(join(dir, "peer.log"), "w");
  const origin = Date.now();
  const child = spawn(...splitCommand([...pinTarget(cores), process.execPath, "--expose-gc", join(here, "peer.mjs")]), {
    cwd: dir, stdio: ["ignore", out, out], env: { ...process.env, PORT: String(port) },
  });
  const cpu = cpuSampler(child.pid);
  const restUrl = `http://127.0.0.1:${port}`;
  await waitUntil(tokensAnswer(restUrl), 30000);
  const readyMs = Date.now() - origin;
  return {
    name: "peer", pid: child.pid, child, cpu, restUrl, sioUrl: restUrl, dir, origin, readyMs,
    async memory() {
      const body = await (await fetch(`${restUrl}/bench/memory`)).json();
      await sleep(200);
      return { heap: body.heapUsed, rss: rssBytes(child.pid) };
    },
  };
}

const splitCommand = (parts) => [parts[0], parts.slice(1)];
/** Starts a system; its CPU is sampled from its spawn on (`target.cpu.between(a, b)`: CPU seconds between two times). */
const startTarget = (name, cores, label) => (name === "service" ? startService(cores, label) : startPeer(cores, label));

async function stop(target) {
  target.cpu.stop();
  if (target.child.exitCode !== null) return;
  if (target.name === "service" && target.jfr) {
    try { execFileSync(jcmd(), [String(target.pid), "JFR.stop", "name=bench"], { stdio: "ignore" }); log(`JFR recording in ${target.jfr}`); } catch (e) { log(`JFR.stop failed: ${e.message}`); }
  }
  const exited = new Promise((r) => target.child.once("exit", r));
  target.child.kill("SIGTERM");
  await Promise.race([exited, sleep(20000)]);
  if (target.child.exitCode === null) { target.child.kill("SIGKILL"); await exited; }
}

// ---------- the load generator processes ----------

function startGenerators(target, count, cores) {
  let seq = 0;
  return Promise.all(Array.from({ length: count }, (_, index) => new Promise((resolveWorker, reject) => {
    const child = fork(join(here, "lib/worker.mjs"), [], {
      env: { ...process.env, BENCH_WORKER: JSON.stringify({ restUrl: target.restUrl, sioUrl: target.sioUrl, index }) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    pinLoad(child.pid, cores);
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

/** The target's CPU over `ms` of wall time, as a share of one core. */
async function cpuOver(target, ms) {
  const c0 = cpuSeconds(target.pid), t0 = performance.now();
  await sleep(ms);
  return (cpuSeconds(target.pid) - c0) / ((performance.now() - t0) / 1000);
}

const split = (total, parts, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
/** Adds per-second series from several generators. */
const mergeSeries = (all) => {
  const out = [];
  for (const series of all) (series ?? []).forEach((n, k) => { out[k] = (out[k] ?? 0) + (n ?? 0); });
  for (let k = 0; k < out.length; k++) out[k] ??= 0;
  return out;
};

// ---------- the figures ----------

/** Figures 4 and 9: memory per idle authenticated connection, and the CPU those connections cost while idle. */
async function memoryFigure(target, generators) {
  // A first connect storm costs once what no later connection costs again (compiled code, classes, pool threads).
  // Both systems get the same warm-up storm, so that the difference below is per connection.
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
  // the connections sit idle: what they cost is the systems' heartbeats (socket.io's ping every 25 s) and timers
  await quiesce(target, 15000);
  const idleSocketsCpu = await cpuOver(target, P.idleSocketsMs);
  await Promise.all(generators.map((g) => g.call("idleClose")));
  await sleep(2000);
  const result = {
    connections: connected, failed: sum(results.map((r) => r.failed)),
    heapPerConnection: (after.heap - before.heap) / connected, rssPerConnection: (after.rss - before.rss) / connected,
    before, after, idleSocketsCpu,
  };
  log(`${target.name} memory: ${connected} connections, heap +${fmtBytes(result.heapPerConnection)}/conn, RSS +${fmtBytes(result.rssPerConnection)}/conn; CPU while they idle ${pct(idleSocketsCpu)}`);
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
    // the target's CPU in the measured window only (the phase's figure reads it over the warm-up and drain too)
    const from = Math.max(...run.results.map((r) => r.from)), to = Math.min(...run.results.map((r) => r.to));
    entry.cpuPerMessage = target.cpu.between(from, to) / (entry.perSecond * (to - from) / 1000);
    runs.push(entry);
    log(`${target.name} relay throughput with ${count} generator(s): ${Math.round(entry.perSecond)} msg/s over ${calls} calls; generator CPU ${generatorCpu.map(pct).join(" + ")}, target CPU ${pct(run.serverCpu)} (${us(entry.cpuPerMessage)}/msg), machine ${run.machineCpu.toFixed(2)} cores busy`);
    await Promise.all(active.map((g) => g.call("relayTeardown")));
    await quiesce(target);
  }
  const best = runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  // Figure 8's load (fewer calls, set up within seconds of a cold start, with as many messages in flight), warm: the
  // value the cold process is compared with
  const calls = await onAll(generators, target, "relaySetup", (i) => ({ calls: split(P.coldCalls, generators.length, i), prefix: "cw" }));
  const run = await onAll(generators, target, "relayThroughput", () => ({ window: P.coldWindow, warmupMs: 2000, durationMs: P.coldWarmMs }));
  const from = Math.max(...run.results.map((r) => r.from)), to = Math.min(...run.results.map((r) => r.to));
  const received = sum(run.results.map((r) => r.received));
  const coldShape = { calls: sum(calls.results.map((r) => r.calls)), perSecond: received / ((to - from) / 1000), cpuPerMessage: target.cpu.between(from, to) / received };
  log(`${target.name} relay of figure 8's load, warm: ${Math.round(coldShape.perSecond)} msg/s over ${coldShape.calls} calls, ${us(coldShape.cpuPerMessage)}/msg`);
  await Promise.all(generators.map((g) => g.call("relayTeardown")));
  await quiesce(target);
  return { runs, perSecond: best.perSecond, cpuPerMessage: Math.min(...runs.map((r) => r.cpuPerMessage)), coldShape };
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

/** A Prometheus summary's quantiles, count and sum for the series whose labels include `labels`. */
function summaryOf(text, name, labels = "") {
  const out = { quantiles: {} };
  for (const line of text.split("\n")) {
    if (!line.startsWith(name) || (labels && !line.includes(labels))) continue;
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    const q = /quantile="([^"]+)"/.exec(line);
    if (line.startsWith(`${name}{`) && q) out.quantiles[q[1]] = value;
    else if (line.startsWith(`${name}_count`)) out.count = value;
    else if (line.startsWith(`${name}_sum`)) out.sum = value;
  }
  return out;
}

/**
 * Figures 3, 5 and the setups of figure 8: `setupConcurrency` whole flows in flight from the moment the target is
 * up (a cold process), for the warm-up and then the measured window. Every completed flow is counted per second
 * since the process started, beside the target's CPU. The service's own metrics give figure 5: how long after its
 * append the call history handled each event, and how long command answers waited for it (read your writes).
 */
async function setupFigure(target, generators) {
  const n = generators.length;
  let metricsAtStart = null;
  const metricsTimer = target.metrics
    ? setTimeout(async () => { try { metricsAtStart = await target.metrics(); } catch (e) { log(`metrics: ${e.message}`); } }, P.setupWarmupMs)
    : null;
  const run = await onAll(generators, target, "setups", (i) => ({
    concurrency: split(P.setupConcurrency, n, i), warmupMs: P.setupWarmupMs, durationMs: P.setupMs, prefix: "s",
    origin: target.origin,
  }));
  clearTimeout(metricsTimer);
  const metricsAtEnd = target.metrics ? await target.metrics() : null;
  const latencies = run.results.flatMap((r) => r.latencies);
  const seconds = Math.max(...run.results.map((r) => r.seconds));
  const completed = sum(run.results.map((r) => r.completed));
  const result = {
    completed, failed: sum(run.results.map((r) => r.failed)),
    perSecond: completed / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99),
    lastError: run.results.map((r) => r.lastError).find(Boolean) ?? null,
    series: mergeSeries(run.results.map((r) => r.series)),
    generatorCpu: run.results.map((r) => r.cpuMs / 1000 / r.seconds), machineCpu: run.machineCpu,
  };
  // the target's CPU in the measured window only
  const from = Math.max(...run.results.map((r) => r.from)), to = Math.min(...run.results.map((r) => r.to));
  result.serverCpu = target.cpu.between(from, to) / ((to - from) / 1000);
  result.cpuPerFlow = result.serverCpu / result.perSecond;
  if (metricsAtEnd) {
    const lag = summaryOf(metricsAtEnd, "calling_projection_lag_seconds", 'processor="call-history"');
    const lag0 = summaryOf(metricsAtStart ?? "", "calling_projection_lag_seconds", 'processor="call-history"');
    const ryw = summaryOf(metricsAtEnd, "calling_read_your_writes_wait_seconds");
    const ryw0 = summaryOf(metricsAtStart ?? "", "calling_read_your_writes_wait_seconds");
    result.lag = {
      p50: lag.quantiles["0.5"] * 1000, p99: lag.quantiles["0.99"] * 1000,
      mean: ((lag.sum - (lag0.sum ?? 0)) / Math.max(1, lag.count - (lag0.count ?? 0))) * 1000,
      ryw50: ryw.quantiles["0.5"] * 1000, ryw99: ryw.quantiles["0.99"] * 1000,
      rywMean: ((ryw.sum - (ryw0.sum ?? 0)) / Math.max(1, ryw.count - (ryw0.count ?? 0))) * 1000,
    };
  }
  log(`${target.name} call setups: ${result.perSecond.toFixed(1)}/s, p50 ${ms(result.p50)} p99 ${ms(result.p99)}, failed ${result.failed}${result.lastError ? ` (last: ${result.lastError})` : ""}; generator CPU ${result.generatorCpu.map(pct).join(" + ")}, target CPU ${pct(result.serverCpu)} = ${ms(result.cpuPerFlow * 1000)} per flow`);
  if (result.lag) log(`${target.name} call-history lag: p50 ${ms(result.lag.p50)} p99 ${ms(result.lag.p99)} mean ${ms(result.lag.mean)}; answers waited for it: p50 ${ms(result.lag.ryw50)} p99 ${ms(result.lag.ryw99)}`);
  return result;
}

/**
 * Figure 8, reading a per-second series of a cold process (counts per second since the process started, the CPU
 * sampled meanwhile) against the warm figure: the value in the seconds [7, 10) after the start, and the first second
 * from which the moving average over `span` seconds reaches 90% of the warm rate.
 */
function coldReading(series, cpu, origin, warmRate, span) {
  const cpuIn = (a, b) => cpu.between(origin + a * 1000, origin + b * 1000);
  const [a, b] = COLD_WINDOW;
  const count = sum(series.slice(a, b));
  const at10 = { rate: count / (b - a), cpuPerUnit: count ? cpuIn(a, b) / count : NaN };
  let reached = null;
  for (let k = span - 1; k < series.length && reached === null; k++) {
    if (sum(series.slice(k - span + 1, k + 1)) / span >= 0.9 * warmRate) reached = k + 1;
  }
  const perSecond = series.map((n, k) => ({ s: k + 1, n, cpu: cpuIn(k, k + 1) }));
  return { at10, reachedAfter: reached, perSecond, firstSecond: series.findIndex((x) => x > 0) + 1 };
}

/** A dev token from the service (`POST /api/dev/tokens`), for the given user (and roles). */
async function devToken(target, body) {
  return (await (await fetch(`${target.restUrl}/api/dev/tokens`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  })).json()).data.token;
}

async function replayFigure(target) {
  if (!target.mongoUri) throw new Error("no mongodb:// connection string in the service log");
  log(`seeding ${P.replayEvents} events into domainevents`);
  const seeded = await seed(target.mongoUri, "dehive", P.replayEvents, log);
  log(`seeded ${seeded.written} events in ${seeded.seconds.toFixed(1)} s; collection holds ${seeded.total}`);
  // the live projections handle the seeded events first, as they would any new ones; the rebuild starts after that
  const projections = ["call-history", "call-analytics", "conversation-messages"];
  const liveStart = performance.now();
  for (;;) {
    const positions = await tokenPositions(target.mongoUri, "dehive", projections);
    if (projections.every((p) => (positions[p] ?? -1) >= seeded.lastPosition)) break;
    if (performance.now() - liveStart > 20 * 60000) throw new Error(`the projections did not catch up: ${JSON.stringify(positions)}`);
    await sleep(1000);
  }
  const liveSeconds = (performance.now() - liveStart) / 1000;
  log(`the live projections handled the seeded events in ${liveSeconds.toFixed(1)} s`);
  await quiesce(target);
  const scan = await rawScan(target.mongoUri, "dehive");
  log(`raw driver scan: ${scan.count} documents in ${scan.seconds.toFixed(1)} s = ${Math.round(scan.perSecond)}/s`);
  const admin = await devToken(target, { user_id: "bench-admin", roles: ["admin"] });
  const url = `${target.restUrl}/api/admin/projections/call-history/replay`;
  const headers = { authorization: `Bearer ${admin}` };
  const startedAt = performance.now();
  const started = await fetch(url, { method: "POST", headers, signal: AbortSignal.timeout(P.replayTimeoutMs) });
  if (started.status !== 202) throw new Error(`replay refused: ${started.status} ${await started.text()}`);
  // Progress is the service's own count of replayed events (its progress endpoint, a counter: cheap to ask). The read
  // model is counted once, after the timed window, as a check.
  let progress, processed = 0, lastChange = performance.now(), lastProcessed = 0;
  for (;;) {
    await sleep(1000);
    try {
      progress = (await (await fetch(url, { headers, signal: AbortSignal.timeout(30000) })).json()).data;
      processed = progress.events_processed;
      if (processed !== lastProcessed) { lastProcessed = processed; lastChange = performance.now(); }
      if (progress.done) break;
    } catch (e) {
      log(`replay progress not answered (${e.cause?.code ?? e.cause?.message ?? e.message})`);
    }
    if (performance.now() - startedAt > P.replayTimeoutMs) { log(`replay still running after ${P.replayTimeoutMs / 1000} s: reporting its rate so far`); break; }
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
  const checked = inReadModel === seeded.written;
  log(`replay check: ${inReadModel} seeded events in the read model after the window (service said ${processed}, done=${done}): ${checked ? "consistent" : "INCONSISTENT"}`);
  return {
    events: seeded.total, processed, perSecond: processed / Math.max(elapsed, 0.001), done, inReadModel, checked,
    serviceSaid: progress, raw: scan, liveSeconds, seeded: { events: seeded.written, perSecond: seeded.written / seeded.seconds },
  };
}

// ---------- one system on one core count ----------

/**
 * Process A: started cold, figure 7's first start; the setups from the first second (figure 8), which are the
 * warm-up of figures 3 and 5; then figures 1, 2, 4 and 9 warm, and the replay (6). Process B: started cold, the
 * relay from the first second (figure 8). Then more starts that only wait for ready (figure 7).
 */
async function measure(name, cores) {
  const out = { starts: [] };
  const step = async (target, key, wanted, fn) => {
    if (!wanted) return;
    await quiesce(target);
    try { out[key] = await fn(); } catch (e) { log(`${name} ${key} failed: ${e.message} ${e.cause?.code ?? e.cause?.message ?? ""}`); out[key] = { error: e.message }; }
  };

  // process A
  const a = await startTarget(name, cores, "warm");
  out.starts.push(a.readyMs);
  log(`${name} on ${cores} core(s) ready after ${a.readyMs} ms (pid ${a.pid})`);
  pinLoad(process.pid, cores);
  if (args.jfr && name === "service") {
    a.jfr = resolve(String(args.jfr).replace(/(\.jfr)?$/, `-${cores}core.jfr`));
    execFileSync(jcmd(), [String(a.pid), "JFR.start", "name=bench", "settings=profile", `filename=${a.jfr}`], { stdio: "ignore" });
  }
  let generators = await startGenerators(a, GENERATORS, cores);
  try {
    if (figures.has(3) || figures.has(5) || figures.has(8)) {
      try { out.setup = await setupFigure(a, generators); } catch (e) { log(`${name} setup failed: ${e.message}`); out.setup = { error: e.message }; }
      if (out.setup.series) out.coldSetups = coldReading(out.setup.series, a.cpu, a.origin, out.setup.perSecond, 5);
    }
    await step(a, "relay", figures.has(1) || figures.has(8), () => relayThroughputFigure(a, generators));
    await step(a, "latency", figures.has(2), () => relayLatencyFigure(a, generators));
    await step(a, "memory", figures.has(4) || figures.has(9), () => memoryFigure(a, generators));
    await step(a, "idle", figures.has(9), async () => {
      const cpu = await cpuOver(a, P.idleMs);
      log(`${name} idle, no client: ${pct(cpu)} of a core`);
      return { cpu };
    });
    if (name === "service") await step(a, "replay", figures.has(6), () => replayFigure(a));
  } finally {
    generators.forEach((g) => g.stop());
    await stop(a);
  }

  // process B
  if (figures.has(8) && out.relay?.coldShape) {
    const b = await startTarget(name, cores, "cold-relay");
    out.starts.push(b.readyMs);
    log(`${name} on ${cores} core(s) ready after ${b.readyMs} ms (pid ${b.pid}); relay from cold`);
    generators = await startGenerators(b, GENERATORS, cores);
    const cpu = b.cpu;
    try {
      await onAll(generators, b, "relaySetup", (i) => ({ calls: split(P.coldCalls, GENERATORS, i), prefix: "cold" }));
      const run = await onAll(generators, b, "relayThroughput", () => ({ window: P.coldWindow, warmupMs: 0, durationMs: P.coldRelayMs, origin: b.origin }));
      const series = mergeSeries(run.results.map((r) => r.series));
      const warm = out.relay.coldShape;
      out.coldRelay = coldReading(series, cpu, b.origin, warm.perSecond, 3);
      log(`${name} relay from cold: ${Math.round(out.coldRelay.at10.rate)} msg/s and ${us(out.coldRelay.at10.cpuPerUnit)}/msg at 7-10 s (warm ${Math.round(warm.perSecond)} msg/s, ${us(warm.cpuPerMessage)}/msg); 90% of warm after ${out.coldRelay.reachedAfter ?? "never"} s`);
    } catch (e) {
      log(`${name} cold relay failed: ${e.message}`);
      out.coldRelay = { error: e.message };
    } finally {
      generators.forEach((g) => g.stop());
      await stop(b);
    }
  }

  // figure 7: more starts, each only until ready
  if (figures.has(7)) {
    while (out.starts.length < P.starts + (figures.has(8) ? 1 : 0)) {
      const t = await startTarget(name, cores, `start${out.starts.length}`);
      out.starts.push(t.readyMs);
      await stop(t);
    }
    log(`${name} on ${cores} core(s): ready after ${out.starts.join(", ")} ms`);
  }
  pinLoad(process.pid, 2);
  return out;
}

// ---------- formatting ----------

const pct = (x) => (Number.isFinite(x) ? `${x * 100 < 10 ? (x * 100).toFixed(1) : Math.round(x * 100)}%` : "n/a");
const ms = (x) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms` : "n/a");
const us = (seconds) => (Number.isFinite(seconds) ? `${(seconds * 1e6).toFixed(1)} µs` : "n/a");
const sec = (x) => (Number.isFinite(x) ? `${(x / 1000).toFixed(2)} s` : "n/a");
function fmtBytes(b) {
  if (!Number.isFinite(b)) return "n/a";
  const a = Math.abs(b);
  return a >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : a >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${Math.round(b)} B`;
}
const num = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }) : "n/a");
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN);
const verdict = (ok) => (ok === null ? "—" : ok ? "met" : "NOT met");
const fx = (x) => (Number.isFinite(x) ? `${x >= 0.01 || x === 0 ? x.toFixed(2) : x.toFixed(4)}×` : "n/a");
const median = (xs) => percentile(xs, 50);
const check = (x, ok) => (Number.isFinite(x) ? ok(x) : null);

function table(results, cores) {
  const s = results.service ?? {}, p = results.peer ?? {};
  const rows = [];
  const row = (figure, ours, peer, r, goal, ok) => rows.push(`| ${figure} | ${ours} | ${peer} | ${r} | ${goal} | ${verdict(ok)} |`);
  const one = cores === 1;
  if (s.starts?.length || p.starts?.length) {
    const limit = one ? 5000 : 3000;
    const worst = s.starts?.length ? Math.max(...s.starts) : NaN;
    row(`7. start → ready (health UP), empty store: median (slowest) of ${s.starts?.length ?? 0}`, `${sec(median(s.starts ?? []))} (${sec(worst)})`,
      `${sec(median(p.starts ?? []))}`, fx(ratio(median(s.starts ?? []), median(p.starts ?? []))), `≤ ${limit / 1000} s`, check(worst, (x) => x <= limit));
  }
  if (s.coldRelay?.at10 || p.coldRelay?.at10) {
    const w = (t) => t.relay?.coldShape?.cpuPerMessage;
    const rs = ratio(s.coldRelay?.at10?.cpuPerUnit, w(s)), rp = ratio(p.coldRelay?.at10?.cpuPerUnit, w(p));
    row(`8. relay CPU per message 7-10 s after start (${P.coldCalls} calls, ${P.coldWindow} in flight each way), against warm`, `${us(s.coldRelay?.at10?.cpuPerUnit)} (${fx(rs)})`, `${us(p.coldRelay?.at10?.cpuPerUnit)} (${fx(rp)})`, "", "≤ 1.2× warm", check(rs, (x) => x <= 1.2));
    row("8. relay throughput reaches 90% of warm (3 s average) after (relaying from)", `${sec((s.coldRelay?.reachedAfter ?? NaN) * 1000)} (${sec((s.coldRelay?.firstSecond ?? NaN) * 1000 - 1000)})`, `${sec((p.coldRelay?.reachedAfter ?? NaN) * 1000)} (${sec((p.coldRelay?.firstSecond ?? NaN) * 1000 - 1000)})`, "", "", null);
  }
  if (s.coldSetups || p.coldSetups) {
    const rs = ratio(s.coldSetups?.at10?.rate, s.setup?.perSecond), rp = ratio(p.coldSetups?.at10?.rate, p.setup?.perSecond);
    row("8. setups/s 7-10 s after start, against warm (figure 3)", `${num(s.coldSetups?.at10?.rate, 1)} (${fx(rs)})`, `${num(p.coldSetups?.at10?.rate, 1)} (${fx(rp)})`, "", "≥ 0.8× warm", check(rs, (x) => x >= 0.8));
    row("8. setups reach 90% of warm (5 s average) after (completing from)", `${sec((s.coldSetups?.reachedAfter ?? NaN) * 1000)} (${sec((s.coldSetups?.firstSecond ?? NaN) * 1000 - 1000)})`, `${sec((p.coldSetups?.reachedAfter ?? NaN) * 1000)} (${sec((p.coldSetups?.firstSecond ?? NaN) * 1000 - 1000)})`, "", "", null);
  }
  if (s.relay?.runs || p.relay?.runs) {
    const r = ratio(s.relay?.perSecond, p.relay?.perSecond);
    row("1. relay throughput, 500 calls (msg/s)", num(s.relay?.perSecond), num(p.relay?.perSecond), fx(r), one ? "" : "≥ 1.5× peer", one ? null : check(r, (x) => x >= 1.5));
    const c = ratio(s.relay?.cpuPerMessage, p.relay?.cpuPerMessage);
    row("1. relay CPU per message (target CPU / messages)", us(s.relay?.cpuPerMessage), us(p.relay?.cpuPerMessage), fx(c), one ? "≤ 0.7× peer" : "", one ? check(c, (x) => x <= 0.7) : null);
  }
  if (s.latency || p.latency) {
    row("2. relay latency p50 @2,000 msg/s, 1,000 calls", ms(s.latency?.p50), ms(p.latency?.p50), fx(ratio(s.latency?.p50, p.latency?.p50)), "", null);
    const r = ratio(s.latency?.p99, p.latency?.p99);
    row("2. relay latency p99", ms(s.latency?.p99), ms(p.latency?.p99), fx(r), "≤ peer", check(r, (x) => x <= 1));
    const r9 = ratio(s.latency?.p999, p.latency?.p999);
    row("2. relay latency p99.9", ms(s.latency?.p999), ms(p.latency?.p999), fx(r9), one ? "≤ 2× peer" : "", one ? check(r9, (x) => x <= 2) : null);
  }
  if (s.setup?.perSecond || p.setup?.perSecond) {
    row(`3. call setups/s (whole flow; ours persisted), ${P.setupConcurrency} in flight`, num(s.setup?.perSecond, 1), num(p.setup?.perSecond, 1), fx(ratio(s.setup?.perSecond, p.setup?.perSecond)), "", null);
    const r = ratio(s.setup?.cpuPerFlow, p.setup?.cpuPerFlow);
    row("3. target CPU per whole flow (ours persisted)", ms(s.setup?.cpuPerFlow * 1000), ms(p.setup?.cpuPerFlow * 1000), fx(r), one ? "" : "≤ 5× peer", one ? null : check(r, (x) => x <= 5));
    row("3. call setup p99", ms(s.setup?.p99), ms(p.setup?.p99), fx(ratio(s.setup?.p99, p.setup?.p99)), "", null);
  }
  if (s.memory?.connections || p.memory?.connections) {
    const r = ratio(s.memory?.rssPerConnection, p.memory?.rssPerConnection);
    row(`4. RSS per idle authenticated connection (${num(s.memory?.connections ?? p.memory?.connections)} conns)`, fmtBytes(s.memory?.rssPerConnection), fmtBytes(p.memory?.rssPerConnection), fx(r), "≤ peer", check(r, (x) => x <= 1));
    const h = ratio(s.memory?.heapPerConnection, p.memory?.heapPerConnection);
    row("4. heap after GC per connection", fmtBytes(s.memory?.heapPerConnection), fmtBytes(p.memory?.heapPerConnection), fx(h), "≤ peer", check(h, (x) => x <= 1));
    const c = ratio(s.memory?.idleSocketsCpu, p.memory?.idleSocketsCpu);
    row(`9. CPU while those connections idle (of one core, ${P.idleSocketsMs / 1000} s)`, pct(s.memory?.idleSocketsCpu), pct(p.memory?.idleSocketsCpu), fx(c), "≤ 2× peer", check(c, (x) => x <= 2));
  }
  if (s.idle || p.idle) {
    row(`9. CPU idle, no client (of one core, ${P.idleMs / 1000} s)`, pct(s.idle?.cpu), pct(p.idle?.cpu), "", "", null);
  }
  if (s.setup?.lag) {
    row("5. call-history lag p50 / p99 (append → handled; the service's summary)", `${ms(s.setup.lag.p50)} / ${ms(s.setup.lag.p99)}`, "in memory, none", "", "p99 ≤ 100 ms", check(s.setup.lag.p99, (x) => x <= 100));
    row("5. command answers waiting for the history (read your writes) p50 / p99", `${ms(s.setup.lag.ryw50)} / ${ms(s.setup.lag.ryw99)}`, "", "", "", null);
  }
  if (s.replay?.raw) {
    const r = ratio(s.replay.perSecond, s.replay.raw.perSecond);
    row(`6. replay call-history, ${num(s.replay.events)} events (events/s)${s.replay.done ? "" : `, first ${num(s.replay.processed)} only`}${s.replay.checked === false ? ", READ MODEL INCONSISTENT" : ""}`, num(s.replay.perSecond), `raw scan ${num(s.replay.raw.perSecond)}`, fx(r), "≥ 0.25× raw scan", check(r, (x) => x >= 0.25));
  }
  return ["| figure | calling service | Node peer | ratio | goal | |", "|---|---:|---:|---:|---|---|", ...rows].join("\n");
}

function acrossTable(byCores) {
  const two = byCores[2]?.service?.setup?.cpuPerFlow, one = byCores[1]?.service?.setup?.cpuPerFlow;
  if (!Number.isFinite(two) || !Number.isFinite(one)) return "";
  const r = one / two;
  return ["| figure | one core | two cores | ratio | goal | |", "|---|---:|---:|---:|---|---|",
    `| 3. service CPU per whole flow | ${ms(one * 1000)} | ${ms(two * 1000)} | ${fx(r)} | ≤ 1.2× | ${verdict(r <= 1.2)} |`].join("\n");
}

function generatorTable(results) {
  const lines = ["| phase | system | generator CPU (per process, of one core) | target CPU (of one core) | whole machine (cores busy of 2) |", "|---|---|---|---|---|"];
  const mc = (x) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");
  for (const name of ["service", "peer"]) {
    const r = results[name];
    if (!r) continue;
    for (const run of r.relay?.runs ?? []) lines.push(`| relay throughput, ${run.generators} generator(s): ${num(run.perSecond)} msg/s | ${name} | ${run.generatorCpu.map(pct).join(" + ")} | ${pct(run.serverCpu)} | ${mc(run.machineCpu)} |`);
    if (r.latency?.generatorCpu) lines.push(`| relay latency @2,000 msg/s | ${name} | ${r.latency.generatorCpu.map(pct).join(" + ")} | ${pct(r.latency.serverCpu)} | ${mc(r.latency.machineCpu)} |`);
    if (r.setup?.generatorCpu) lines.push(`| call setups | ${name} | ${r.setup.generatorCpu.map(pct).join(" + ")} | ${pct(r.setup.serverCpu)} | ${mc(r.setup.machineCpu)} |`);
  }
  return lines.join("\n");
}

function coldSeries(results) {
  const lines = [];
  for (const name of ["service", "peer"]) {
    const r = results[name];
    // from the first second with something done, for 25 s
    const fmt = (c, unit) => {
      const all = c?.perSecond ?? [];
      const first = Math.max(0, all.findIndex((x) => x.n > 0));
      return all.slice(first, first + 25).map((x) => `${x.s}s:${unit(x)}`).join(" ");
    };
    if (r?.coldSetups) lines.push(`- ${name}, setups per second after start: ${fmt(r.coldSetups, (x) => x.n)}`);
    if (r?.coldRelay?.perSecond) lines.push(`- ${name}, relayed messages per second after start: ${fmt(r.coldRelay, (x) => `${Math.round(x.n / 1000)}k${x.n ? `@${(x.cpu / x.n * 1e6).toFixed(0)}µs` : ""}`)}`);
  }
  return lines.join("\n");
}

// ---------- main ----------

const byCores = {};
for (const cores of coreCounts) {
  byCores[cores] = {};
  for (const name of ["service", "peer"]) if (only.has(name)) byCores[cores][name] = await measure(name, cores);
}

const java = spawnSync("sh", ["-c", `"$(cat '${root}/calling-service/target/app/calling-service.aot.jvm' 2>/dev/null || echo java)" -version`], { encoding: "utf8" }).stderr?.trim() || "java";
const report = [
  `Run ${runId}${quick ? " (--quick)" : ""} on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; service command: \`${[serviceCommand(root).command, ...serviceCommand(root).argv].join(" ").replace(root + "/", "")}\``,
  "",
  ...coreCounts.flatMap((cores) => [
    cores === 1 ? "### One core (target on CPU 0 with taskset; generators on CPU 1)" : `### ${cores} cores (nothing pinned; the generators share them)`,
    "",
    table(byCores[cores], cores),
    "",
    "Cold starts (figure 8), per second since the process started:",
    "",
    coldSeries(byCores[cores]),
    "",
    "Load generator and target CPU:",
    "",
    generatorTable(byCores[cores]),
    "",
  ]),
  acrossTable(byCores),
  "",
  `JVM: ${java.split("\n")[0]}`,
].join("\n");
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "latest.json"), JSON.stringify({ runId, quick, params: P, results: byCores }, (k, v) => (k === "samples" && Array.isArray(v) ? undefined : v), 2));
writeFileSync(join(here, "results", "latest.md"), report + "\n");
console.log(report);
process.exit(0);
