import { readFileSync } from "node:fs";

export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** CPU seconds (user + system) that a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (CLK_TCK = 100)
  } catch {
    return NaN;
  }
}

export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

/** Busy and total jiffies of the whole machine, from the first line of /proc/stat. */
export function machineTicks() {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * A process's CPU seconds sampled every `everyMs` with the wall clock, so that the CPU spent in any window of the
 * sampling (in Date.now() milliseconds) can be read back, interpolated between samples.
 */
export function cpuSampler(pid, everyMs = 200) {
  const samples = [[Date.now(), cpuSeconds(pid)]];
  const timer = setInterval(() => samples.push([Date.now(), cpuSeconds(pid)]), everyMs);
  const at = (t) => {
    if (t <= samples[0][0]) return samples[0][1];
    for (let i = 1; i < samples.length; i++) {
      const [t1, c1] = samples[i];
      if (t <= t1) {
        const [t0, c0] = samples[i - 1];
        return c0 + ((c1 - c0) * (t - t0)) / Math.max(1, t1 - t0);
      }
    }
    return samples[samples.length - 1][1];
  };
  return {
    stop() { clearInterval(timer); samples.push([Date.now(), cpuSeconds(pid)]); },
    /** CPU seconds used between two wall-clock times. */
    between: (a, b) => at(b) - at(a),
  };
}
