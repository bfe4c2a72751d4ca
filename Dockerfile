# syntax=docker/dockerfile:1
# perfbot's container images, from one multi-stage build:
#
#   docker build -t perfbot:latest .                      # static binary on distroless, non-root
#   docker build --target voice -t perfbot:latest-voice .  # the same binary with ffmpeg, for voice notes
#
# The binary is static (CGO_ENABLED=0): SQLite is modernc.org/sqlite, pure Go,
# and the time zones are embedded too (time/tzdata), besides the image's own.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" \
      -o /out/perfbot ./cmd/perfbot \
 && mkdir -p /out/data

# The default image: distroless/static has CA certificates, tzdata and
# /etc/passwd with the nonroot user (65532), and nothing else: no shell.
FROM gcr.io/distroless/static-debian12:nonroot AS default
COPY --from=build /out/perfbot /usr/local/bin/perfbot
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
USER 65532:65532
ENV PERFBOT_HTTP_ADDR=0.0.0.0:8080 \
    PERFBOT_DATABASE_URL=sqlite:/data/perfbot.db
EXPOSE 8080
VOLUME ["/data"]
ENTRYPOINT ["/usr/local/bin/perfbot"]
CMD ["serve"]

# The -voice variant: ffmpeg converts voice notes before transcription.
FROM debian:bookworm-slim AS voice
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 65532 --home-dir /data --shell /usr/sbin/nologin perfbot \
 && install -d -o 65532 -g 65532 /data
COPY --from=build /out/perfbot /usr/local/bin/perfbot
WORKDIR /data
USER 65532:65532
ENV PERFBOT_HTTP_ADDR=0.0.0.0:8080 \
    PERFBOT_DATABASE_URL=sqlite:/data/perfbot.db \
    PERFBOT_VOICE_FFMPEG=/usr/bin/ffmpeg
EXPOSE 8080
VOLUME ["/data"]
ENTRYPOINT ["/usr/local/bin/perfbot"]
CMD ["serve"]

# Last, so a plain `docker build` produces the default image.
FROM default
