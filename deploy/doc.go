// Package deploy holds obieg's deployment material: the container images (Dockerfile,
// minio/Dockerfile), a single-host installation (compose.yaml), Kubernetes manifests
// (kubernetes/), the Temporal server's dynamic configuration (temporal/) and the set-up
// scripts they run. README.md describes the installation. The package has no code: its test
// checks the files against obieg itself (configuration, search attributes, pinned versions).
package deploy
