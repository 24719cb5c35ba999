# An image with the static pgready binary and git (which --changed and --diff-base need).
# Build it after `bash scripts/dist.sh`:  docker build -t pgready .
#   docker run --rm -v "$PWD:/src" -w /src pgready check db/migrations
FROM alpine:3.20
RUN apk add --no-cache git && git config --system --add safe.directory '*'
ARG VERSION=0.1.0
ADD target/dist/pgready-${VERSION}-x86_64-unknown-linux-musl.tar.gz /opt/
RUN ln -s /opt/pgready-${VERSION}-x86_64-unknown-linux-musl/pgready /usr/local/bin/pgready && pgready --version
ENTRYPOINT ["pgready"]
