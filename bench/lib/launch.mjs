// How the bench starts the service: as the Dockerfile's ENTRYPOINT does (its JVM flags), on the java the build
// found, against the jar `mvn package` built.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The service's command line: `{command, argv}`. */
export function serviceCommand(root) {
  const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(readFileSync(join(root, "Dockerfile"), "utf8"));
  if (!entrypoint) throw new Error("no ENTRYPOINT [...] in the Dockerfile");
  const flags = JSON.parse(entrypoint[1]).filter((arg) => arg.startsWith("-X"));
  return {
    command: "java",
    argv: ["-Daxoniq.update-checker.disabled=true", ...flags, "-jar", join(root, "calling-service/target/calling-service.jar")],
  };
}
