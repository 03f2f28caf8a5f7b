#!/bin/sh
# Bring the database to the newest schema and the reference data (idempotent), then run the
# given areagraph command (serve by default).
set -eu
if [ "${AREAGRAPH_MIGRATE_ON_START:-true}" = "true" ]; then
  areagraph migrate
  areagraph seed
fi
exec areagraph "$@"
