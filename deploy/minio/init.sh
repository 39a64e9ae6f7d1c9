#!/bin/sh
# obieg-buckets: prepares a MinIO server for obieg, and may be run again at any time.
#
#   - the archive bucket with object lock (and so versioning), as obieg's worker requires: a
#     bucket cannot be given object lock after it was created;
#   - the raw-submission and documents buckets with versioning, so that an overwrite or a
#     delete by mistake keeps the earlier version;
#   - optionally a default retention on the archive bucket (ARCHIVE_DEFAULT_RETENTION, e.g.
#     "10y", GOVERNANCE mode): a floor under the per-package retention obieg sets;
#   - a MinIO user S3_ACCESS_KEY/S3_SECRET_KEY for obieg, allowed to read and write objects
#     of these three buckets and nothing else: no deletes, no bucket administration, no
#     bypass of retention.
#
# Environment: MINIO_URL (default http://minio:9000), MINIO_ROOT_USER and
# MINIO_ROOT_PASSWORD (the administrator), S3_ACCESS_KEY and S3_SECRET_KEY (obieg's user),
# OBIEG_RAW_BUCKET, OBIEG_DOCUMENTS_BUCKET, OBIEG_ARCHIVE_BUCKET (obieg's defaults),
# ARCHIVE_DEFAULT_RETENTION (none).
set -eu

: "${MINIO_ROOT_USER:?MINIO_ROOT_USER is required}"
: "${MINIO_ROOT_PASSWORD:?MINIO_ROOT_PASSWORD is required}"
: "${S3_ACCESS_KEY:?S3_ACCESS_KEY (the MinIO user for obieg) is required}"
: "${S3_SECRET_KEY:?S3_SECRET_KEY (the MinIO user for obieg) is required}"
url="${MINIO_URL:-http://minio:9000}"
raw="${OBIEG_RAW_BUCKET:-obieg-raw}"
docs="${OBIEG_DOCUMENTS_BUCKET:-obieg-documents}"
archive="${OBIEG_ARCHIVE_BUCKET:-obieg-archive}"
# mc keeps its configuration (with the alias's credentials) here: a tmpfs in the containers.
export MC_CONFIG_DIR="${MC_CONFIG_DIR:-/tmp/mc}"
umask 077

tries=0
until mc alias set store "$url" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
	tries=$((tries + 1))
	if [ "$tries" -ge 60 ]; then
		echo "obieg-buckets: MinIO at $url does not answer" >&2
		exit 1
	fi
	sleep 2
done

mc mb --ignore-existing --with-lock "store/$archive"
mc mb --ignore-existing "store/$raw" "store/$docs"
mc version enable "store/$raw"
mc version enable "store/$docs"
# A bucket made earlier without object lock cannot get it: stop here rather than let the
# archive go unprotected (obieg's worker refuses to start on it too).
if ! mc retention info --default "store/$archive" >/dev/null 2>&1; then
	echo "obieg-buckets: bucket $archive has no object lock; create it anew with --with-lock" >&2
	exit 1
fi
if [ -n "${ARCHIVE_DEFAULT_RETENTION:-}" ]; then
	mc retention set --default GOVERNANCE "$ARCHIVE_DEFAULT_RETENTION" "store/$archive"
fi

policy="$MC_CONFIG_DIR/obieg-policy.json"
cat >"$policy" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketVersioning"],
      "Resource": ["arn:aws:s3:::$raw", "arn:aws:s3:::$docs", "arn:aws:s3:::$archive"]
    },
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:GetObjectRetention", "s3:PutObjectRetention", "s3:GetObjectLegalHold"],
      "Resource": ["arn:aws:s3:::$raw/*", "arn:aws:s3:::$docs/*", "arn:aws:s3:::$archive/*"]
    }
  ]
}
JSON
mc admin policy create store obieg "$policy"
mc admin user add store "$S3_ACCESS_KEY" "$S3_SECRET_KEY"
# Attaching a policy already attached is an error to mc; the state wanted is reached anyway.
mc admin policy attach store obieg --user "$S3_ACCESS_KEY" >/dev/null 2>&1 || true
if ! mc admin user info store "$S3_ACCESS_KEY" | grep -q obieg; then
	echo "obieg-buckets: the obieg policy is not attached to $S3_ACCESS_KEY" >&2
	exit 1
fi
rm -f "$policy"
echo "obieg-buckets: $raw, $docs and $archive (object lock) ready; user $S3_ACCESS_KEY may use them"
