#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into a NEW, empty database, survey directory and
# media directory.
#
#   deploy/restore.sh BACKUP_DIR STAMP postgres://…/NEW_DATABASE NEW_SURVEY_DIR NEW_MEDIA_DIR
#
# It refuses a database that already has tables and a survey or media directory that is not
# empty, so it never mixes a backup into live data. Point the site at the new ones once
# `manage.py db_fingerprint` agrees with the backup's source (docs/deployment.md).
set -euo pipefail
backup="${1:?usage: restore.sh BACKUP_DIR STAMP DATABASE_URL SURVEY_DIR MEDIA_DIR}"
stamp="${2:?STAMP missing}"
target="${3:?DATABASE_URL of the new database missing}"
surveys="${4:?SURVEY_DIR missing}"
media="${5:?MEDIA_DIR missing}"

(cd "$backup" && sha256sum --quiet --check "$stamp.sha256")
tables="$(psql --no-psqlrc -tAq "$target" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [ "$tables" != "0" ]; then
  echo "restore.sh: $target already has $tables tables; restore into a new database" >&2
  exit 1
fi
mkdir -p "$surveys" "$media"
for dir in "$surveys" "$media"; do
  if [ -n "$(ls -A "$dir")" ]; then
    echo "restore.sh: $dir is not empty" >&2
    exit 1
  fi
done
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$target" "$backup/ungkultur-$stamp.dump"
tar -C "$surveys" -xzf "$backup/surveys-$stamp.tar.gz"
if [ -f "$backup/media-$stamp.tar.gz" ]; then
  tar -C "$media" -xzf "$backup/media-$stamp.tar.gz"
else
  echo "restore.sh: no media-$stamp.tar.gz (a backup from before pictures were backed up); $media left empty" >&2
fi
echo "restored $stamp"
