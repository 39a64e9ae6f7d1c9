// Package archivestore is the archive's locked storage: the S3 bucket that holds archival
// packages write-once, through minio-go.
//
// What it guarantees, on a server that passes Probe and the storagetest suite:
//
//   - PutLocked stores each object as a new version under COMPLIANCE retention with the
//     retain-until date the caller computed from the case's archival category, set on the
//     object itself (bucket default retention is never relied on: servers apply it
//     differently). The object's SHA-256 is sent as x-amz-checksum-sha256 in a single PUT, so
//     the server stores the bytes only if they match it (ErrChecksum otherwise, and nothing
//     is stored); objects are therefore at most MaxObjectSize (5 GiB).
//   - No one, obieg's own credentials included, can delete a locked version, shorten its
//     retention or downgrade it to GOVERNANCE; writing the key again adds a version and
//     leaves the locked one as it was; deleting the key only adds a delete marker. Readers
//     must name versions, not keys.
//   - ExtendRetention lengthens a retention and refuses to shorten it (ErrShorterRetention)
//     before asking the server. SetLegalHold blocks deletion until the hold is lifted (on
//     MinIO; see below for versitygw).
//   - Lock reads a version's mode, retain-until and legal hold from the ?retention and
//     ?legal-hold sub-resources of that version, the one way both servers answer for current
//     and noncurrent versions.
//   - Probe, run at start-up, proves the bucket is WORM: object lock enabled, versioning on,
//     and a probe object under a one-day COMPLIANCE lock that cannot be deleted (also with
//     the governance bypass header), shortened, downgraded or replaced. Anything that
//     succeeds, or a bucket without object lock, is ErrNotWORM naming what succeeded; the
//     archive must not be written until Probe passes. Each probe leaves one small object
//     under ProbePrefix, locked for a day. ProbeLegalHold (about four seconds, not part of
//     Probe) proves that a legal hold outlives the retention; versitygw fails it.
//
// Which package becomes visible when (the sealed manifest written last) is the caller's
// order of PutLocked calls; this package stores objects only.
//
// Servers differ (README.md beside this file has the table measured by the suite): MinIO
// and the Versity S3 gateway (versitygw v1.8.0) both pass the suite, except that versitygw
// lets a version under legal hold be deleted once its retention has ended (it checks the
// hold only while the retention lasts); versitygw also answers GET ?retention with an
// element minio-go's GetObjectRetention cannot decode, and shows no lock headers on a HEAD
// of a noncurrent version, which is why Lock reads the sub-resources itself.
package archivestore
