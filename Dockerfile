# syntax=docker/dockerfile:1
# Build stage: compile and shade the one runnable jar (tests run in CI, not in the image build).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -Dmaven.test.skip=true package

# Runtime stage: a JRE only, a non-root user, config mounted read-only, state on a volume.
# The user has a fixed numeric id so that Kubernetes' runAsNonRoot can verify it and a bind-mounted
# state directory can be chowned to it (10001:10001).
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 monitor \
 && useradd --system --uid 10001 --gid monitor --home-dir /var/lib/atlas-export-monitor monitor \
 && mkdir -p /etc/atlas-export-monitor /var/lib/atlas-export-monitor \
 && chown monitor:monitor /var/lib/atlas-export-monitor \
 && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/atlas-export-monitor.jar /opt/atlas-export-monitor/atlas-export-monitor.jar
USER 10001:10001
WORKDIR /var/lib/atlas-export-monitor
# Point state.path at the volume in the mounted config, e.g. state: {path: /var/lib/atlas-export-monitor/state.db}
VOLUME ["/var/lib/atlas-export-monitor"]
EXPOSE 9871
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:9871/-/healthy || curl -fsSk https://127.0.0.1:9871/-/healthy || exit 1
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/opt/atlas-export-monitor/atlas-export-monitor.jar"]
CMD ["run", "--config", "/etc/atlas-export-monitor/config.yaml"]
