# syntax=docker/dockerfile:1
# The calling service: built with Maven, run on a JRE as an unprivileged user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY shared-events/pom.xml shared-events/
COPY command-side/pom.xml command-side/
COPY query-side/pom.xml query-side/
COPY signaling-gateway/pom.xml signaling-gateway/
COPY calling-service/pom.xml calling-service/
RUN mvn -q -B dependency:go-offline -DexcludeReactor=true || true
COPY . .
RUN mvn -q -B -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system calling && useradd --system --gid calling --home-dir /app calling
WORKDIR /app
COPY --from=build /src/calling-service/target/calling-service.jar /app/calling-service.jar
RUN mkdir -p /app/data && chown -R calling:calling /app
USER calling
ENV AXONIQ_UPDATE_CHECKER_DISABLED=true \
    CLOUD_HOST=0.0.0.0 \
    DIRECT_CALLING_PORT=4005 \
    SOCKET_IO_PORT=4006
EXPOSE 4005 4006
# The heap may use most of the container; after a full GC it gives back what it does not hold (at most 10% free), so
# an idle service with thousands of open sockets keeps little more than its live heap (bench/, figure 4). Young
# collections aim at 20 ms instead of G1's 200: relayed signaling waits through every pause (70-90 ms seen on 2 cores).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:MaxHeapFreeRatio=10", "-XX:MinHeapFreeRatio=5", "-XX:MaxGCPauseMillis=20", "-jar", "/app/calling-service.jar"]
