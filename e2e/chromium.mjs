// What the browser end-to-end tests share: headless Chromium with fake media, a list of checks, and the media bytes a
// page's peer connection has received.
import { chromium } from "playwright-core";

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Debian's Chromium, headless, with a fake camera and microphone that need no permission prompt. */
export const launch = () => chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream"],
});

/** Named checks, printed as they are made; summary() prints the count and answers the exit code. */
export function checks(title) {
  const results = [];
  return {
    check(name, ok, detail = "") {
      results.push({ name, ok });
      console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ` — ${detail}` : ""}`);
    },
    summary() {
      const failed = results.filter((r) => !r.ok).length;
      console.log(`${title}: ${results.length - failed} passed, ${failed} failed`);
      return results.length > 0 && failed === 0 ? 0 : 1;
    },
  };
}

/** The audio and video bytes the demo page's peer connection has received so far. */
export const inbound = (page) => page.evaluate(async () => {
  const bytes = { audio: 0, video: 0 };
  (await window.demo.pc.getStats()).forEach((report) => {
    if (report.type === "inbound-rtp") bytes[report.kind] = report.bytesReceived;
  });
  return bytes;
});
