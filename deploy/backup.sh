#!/usr/bin/env bash
# Back up Ungkultur: the PostgreSQL database (pg_dump, custom format) and the survey files
# directory (research exports and snapshots; a tar). docs/deployment.md, "Backups".
#
#   DATABASE_URL=postgres://… UNGKULTUR_SURVEY_FILES_DIR=/data/surveys deploy/backup.sh DEST_DIR
#
# Writes DEST_DIR/ungkultur-STAMP.dump, DEST_DIR/surveys-STAMP.tar.gz and DEST_DIR/STAMP.sha256
# and prints the stamp. pg_dump's snapshot is consistent; the tar is taken after it, so a file
# written in between is in the tar without its row (harmless: snapshots are rebuilt).
set -euo pipefail
dest="${1:?usage: backup.sh DEST_DIR}"
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database}"
surveys="${UNGKULTUR_SURVEY_FILES_DIR:?UNGKULTUR_SURVEY_FILES_DIR must name the survey files directory}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dest" "$surveys"
umask 077  # personal data: readable by the backup's owner only

pg_dump --format=custom --no-owner --no-privileges --file "$dest/ungkultur-$stamp.dump" "$DATABASE_URL"
tar -C "$surveys" -czf "$dest/surveys-$stamp.tar.gz" .
(cd "$dest" && sha256sum "ungkultur-$stamp.dump" "surveys-$stamp.tar.gz" > "$stamp.sha256")
echo "$stamp"
