#!/bin/sh
# Registers obieg's Temporal namespace and the custom search attributes its workflows set
# (internal/adapters/visibility: all of type Keyword); may be run again at any time. deploy_test.go
# checks that the names below are those of internal/adapters/visibility.
#
# Environment: TEMPORAL_ADDRESS (frontend host:port), TEMPORAL_NAMESPACE (obieg),
# NAMESPACE_RETENTION (how long closed workflows are kept in Temporal: 30d; obieg keeps its
# records in PostgreSQL and S3, not in workflow histories).
set -eu
: "${TEMPORAL_ADDRESS:?}"
ns="${TEMPORAL_NAMESPACE:-obieg}"
retention="${NAMESPACE_RETENTION:-30d}"

tries=0
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
	tries=$((tries + 1))
	if [ "$tries" -ge 90 ]; then
		echo "setup-namespace: Temporal at $TEMPORAL_ADDRESS does not answer" >&2
		exit 1
	fi
	sleep 2
done

if ! temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$ns" >/dev/null 2>&1; then
	temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace "$ns" --retention "$retention"
fi
# One attribute a call: the CLI pairs each --name with a --type and, given one --type for
# several names, registers only the first. A new namespace reaches every frontend after a few
# seconds: retry until it does. An attribute already registered with this type is no error.
for name in ObiegChannel ObiegFormType ObiegStage ObiegCaseRef ObiegUnit; do
	tries=0
	until temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" --namespace "$ns" \
		--name "$name" --type Keyword; do
		tries=$((tries + 1))
		if [ "$tries" -ge 30 ]; then
			echo "setup-namespace: could not register search attribute $name in $ns" >&2
			exit 1
		fi
		sleep 2
	done
done
echo "temporal namespace $ns ready with obieg's search attributes"
