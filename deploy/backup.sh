#!/usr/bin/env bash
# Back up Ungkultur: the PostgreSQL database (pg_dump, custom format), the survey files
# directory (research exports and snapshots; a tar) and the media directory (uploaded pictures of
# success stories, MEDIA_ROOT; a tar). docs/deployment.md, "Backups".
#
#   DATABASE_URL=postgres://… UNGKULTUR_SURVEY_FILES_DIR=/data/surveys \
#     UNGKULTUR_MEDIA_ROOT=/data/media deploy/backup.sh DEST_DIR
#
# Writes DEST_DIR/ungkultur-STAMP.dump, DEST_DIR/surveys-STAMP.tar.gz,
# DEST_DIR/media-STAMP.tar.gz and DEST_DIR/STAMP.sha256 and prints the stamp. pg_dump's snapshot
# is consistent; the tars are taken after it, so a file written in between is in a tar without
# its row (harmless: snapshots are rebuilt, and a picture without its story is never served).
set -euo pipefail
dest="${1:?usage: backup.sh DEST_DIR}"
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database}"
surveys="${UNGKULTUR_SURVEY_FILES_DIR:?UNGKULTUR_SURVEY_FILES_DIR must name the survey files directory}"
media="${UNGKULTUR_MEDIA_ROOT:?UNGKULTUR_MEDIA_ROOT must name the media directory (uploaded pictures)}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dest" "$surveys" "$media"
umask 077  # personal data: readable by the backup's owner only

pg_dump --format=custom --no-owner --no-privileges --file "$dest/ungkultur-$stamp.dump" "$DATABASE_URL"
tar -C "$surveys" -czf "$dest/surveys-$stamp.tar.gz" .
tar -C "$media" -czf "$dest/media-$stamp.tar.gz" .
(cd "$dest" && sha256sum "ungkultur-$stamp.dump" "surveys-$stamp.tar.gz" "media-$stamp.tar.gz" > "$stamp.sha256")
echo "$stamp"
