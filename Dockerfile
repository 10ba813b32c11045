# syntax=docker/dockerfile:1
# The calling service: built with Maven on JDK 25, run on a JDK 25 runtime as an unprivileged user, through the launcher
# the build makes (calling-service/src/main/launcher/calling-service: the JVM flags) with an AOT cache trained here.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml .
COPY shared-events/pom.xml shared-events/
COPY event-store/pom.xml event-store/
COPY command-side/pom.xml command-side/
COPY query-side/pom.xml query-side/
COPY signaling-gateway/pom.xml signaling-gateway/
COPY calling-service/pom.xml calling-service/
RUN mvn -q -B dependency:go-offline -DexcludeReactor=true || true
COPY . .
# the AOT cache is trained below, by the JVM that will use it
RUN mvn -q -B -DskipTests -Daot.skip=true package

FROM eclipse-temurin:25-jre
RUN groupadd --system calling && useradd --system --gid calling --home-dir /app calling
WORKDIR /app
COPY --from=build /src/calling-service/target/app /app
COPY --from=build /src/calling-service/target/test-classes/com/dehive/calling/aot /tmp/aot/com/dehive/calling/aot
# The training run: the service under a short load of calls, then the JVM writes the classes it loaded and the
# profiles of its hot paths into /app/calling-service.aot (docs/benchmarks.md, figures 7 and 8).
RUN java -cp /tmp/aot com.dehive.calling.aot.AotTraining /app/calling-service /app/calling-service.aot 30 /tmp/aot/run \
    && rm -rf /tmp/aot && mkdir -p /app/data && chown -R calling:calling /app
USER calling
ENV AXONIQ_UPDATE_CHECKER_DISABLED=true \
    CLOUD_HOST=0.0.0.0 \
    DIRECT_CALLING_PORT=4005 \
    SOCKET_IO_PORT=4006
EXPOSE 4005 4006
ENTRYPOINT ["/app/calling-service"]
