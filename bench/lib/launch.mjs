// How the bench starts the service: through the launcher the build makes (calling-service/target/app/calling-service),
// which the Dockerfile's ENTRYPOINT runs too: the same JDK, AOT cache and JVM flags as shipped.
//   BENCH_SERVICE="java -Xmx1g -jar calling-service/target/calling-service.jar"   another command line, to compare
//   BENCH_JAVA_TOOL_OPTIONS="-XX:TieredStopAtLevel=1"                             flags added to the service's JVM
import { join, resolve } from "node:path";

/** The service's command line: `{command, argv, env}`. */
export function serviceCommand(root) {
  const env = process.env.BENCH_JAVA_TOOL_OPTIONS ? { JAVA_TOOL_OPTIONS: process.env.BENCH_JAVA_TOOL_OPTIONS } : {};
  if (process.env.BENCH_SERVICE) {
    const [command, ...argv] = process.env.BENCH_SERVICE.trim().split(/\s+/)
      .map((part) => (part.startsWith("calling-service/") ? resolve(root, part) : part));
    return { command, argv, env };
  }
  return { command: join(root, "calling-service/target/app/calling-service"), argv: [], env };
}
