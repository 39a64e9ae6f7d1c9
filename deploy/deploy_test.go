package deploy

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/obieg/obieg/internal/adapters/visibility"
	"github.com/obieg/obieg/internal/config"
)

// nonConfig are the environment variables deployment files may set for obieg containers that
// are not obieg settings: the Go runtime's.
var nonConfig = map[string]bool{"GOMEMLIMIT": true}

// obiegImages are the image names (without tag) the obieg binary is published under here.
var obiegImages = map[string]bool{"obieg": true, "registry.example.gov.pl/obieg/obieg": true}

// readYAML returns every document of a YAML file, decoded.
func readYAML(t testing.TB, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []map[string]any
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if doc != nil {
			docs = append(docs, doc)
		}
	}
	return docs
}

// get walks a decoded YAML value by keys; nil when a step is missing.
func get(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func list(v any) []any { l, _ := v.([]any); return l }

// modVersion returns the version a go.mod file requires of module path, without the "v".
func modVersion(t testing.TB, gomod, path string) string {
	t.Helper()
	data, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*(?:require\s+)?` + regexp.QuoteMeta(path) + `\s+v(\S+)`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("%s requires no %s", gomod, path)
	}
	return string(m[1])
}

// imageRef splits an image reference into name and tag ("" when there is none).
func imageRef(ref string) (name, tag string) {
	ref, _, _ = strings.Cut(ref, "@")
	i := strings.LastIndex(ref, ":")
	if i < 0 || strings.Contains(ref[i:], "/") {
		return ref, ""
	}
	return ref[:i], ref[i+1:]
}

func checkPinned(t *testing.T, where, ref string) {
	t.Helper()
	_, tag := imageRef(ref)
	if tag == "" || tag == "latest" || strings.Contains(tag, "$") {
		t.Errorf("%s: image %q is not pinned to a tag", where, ref)
	}
}

func configNames() map[string]bool {
	names := map[string]bool{}
	for _, n := range config.EnvNames() {
		names[n] = true
	}
	return names
}

func checkEnvName(t *testing.T, where, name string, known map[string]bool) {
	t.Helper()
	if !known[name] && !nonConfig[name] {
		t.Errorf("%s sets %s, which is not an obieg setting", where, name)
	}
}

// TestYAMLParses: every YAML file under deploy/ is well-formed, every document of it.
func TestYAMLParses(t *testing.T) {
	n := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ext := filepath.Ext(path); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
			if len(readYAML(t, path)) == 0 {
				t.Errorf("%s: no document", path)
			}
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 5 {
		t.Errorf("got %d YAML files, want compose.yaml, the manifests and the dynamic config", n)
	}
}

// envExampleNames returns the variables an env file names, set or commented out.
func envExampleNames(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	re := regexp.MustCompile(`^#?([A-Z][A-Z0-9_]*)=`)
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			names = append(names, m[1])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}

// TestEnvExample: obieg.env.example names every obieg setting and nothing else.
func TestEnvExample(t *testing.T) {
	known := configNames()
	seen := map[string]bool{}
	for _, n := range envExampleNames(t, "obieg.env.example") {
		checkEnvName(t, "obieg.env.example", n, known)
		seen[n] = true
	}
	for _, n := range config.EnvNames() {
		if !seen[n] {
			t.Errorf("obieg.env.example does not list %s", n)
		}
	}
}

func composeServices(t testing.TB) map[string]any {
	t.Helper()
	docs := readYAML(t, "compose.yaml")
	services, ok := get(docs[0], "services").(map[string]any)
	if !ok || len(services) == 0 {
		t.Fatal("compose.yaml: no services")
	}
	return services
}

// TestCompose: obieg's containers are given real settings only; every service is pinned and
// hardened; server, worker and migrate run the obieg image.
func TestCompose(t *testing.T) {
	known := configNames()
	services := composeServices(t)
	for _, want := range []string{"postgres", "temporal-schema", "temporal", "temporal-namespace", "minio", "minio-init", "obieg-migrate", "obieg-server", "obieg-worker"} {
		if services[want] == nil {
			t.Errorf("compose.yaml: no service %s", want)
		}
	}
	for name, s := range services {
		where := "compose.yaml " + name
		image, _ := get(s, "image").(string)
		checkPinned(t, where, image)
		if !slices.Contains(list(get(s, "cap_drop")), any("ALL")) {
			t.Errorf("%s: capabilities not dropped (cap_drop: [ALL])", where)
		}
		if !slices.Contains(list(get(s, "security_opt")), any("no-new-privileges:true")) {
			t.Errorf("%s: no no-new-privileges", where)
		}
		imageName, _ := imageRef(image)
		if !obiegImages[imageName] {
			continue
		}
		if get(s, "read_only") != true {
			t.Errorf("%s: root filesystem not read-only", where)
		}
		if f := list(get(s, "env_file")); !slices.Contains(f, any("obieg.env")) {
			t.Errorf("%s: env_file %v, want obieg.env", where, f)
		}
		env, _ := get(s, "environment").(map[string]any)
		for k := range env {
			checkEnvName(t, where, k, known)
		}
	}
	for name, cmd := range map[string]string{"obieg-migrate": "migrate", "obieg-server": "server", "obieg-worker": "worker"} {
		s := services[name]
		if got := list(get(s, "command")); len(got) != 1 || got[0] != cmd {
			t.Errorf("compose.yaml %s: command %v, want [%s]", name, got, cmd)
		}
		if df := get(s, "build", "dockerfile"); df != "deploy/Dockerfile" {
			t.Errorf("compose.yaml %s: built from %v, want deploy/Dockerfile", name, df)
		}
	}
	if got := list(get(services["obieg-server"], "healthcheck", "test")); len(got) < 2 || got[1] != "/obieg" || got[2] != "health" {
		t.Errorf("compose.yaml obieg-server: healthcheck %v, want /obieg health", got)
	}
}

// TestServerVersions: the Temporal and MinIO that compose runs are those tools/go.mod pins,
// which obieg's tests run against.
func TestServerVersions(t *testing.T) {
	server := modVersion(t, "../tools/go.mod", "go.temporal.io/server")
	ui := modVersion(t, "../tools/go.mod", "github.com/temporalio/ui-server/v2")
	minio := modVersion(t, "../tools/go.mod", "github.com/minio/minio")
	if server == "" || ui == "" || minio == "" {
		t.Fatal("versions missing from tools/go.mod")
	}
	var images []string
	for _, s := range composeServices(t) {
		if image, _ := get(s, "image").(string); image != "" {
			images = append(images, image)
		}
	}
	for _, doc := range kubernetesDocs(t) {
		for _, c := range containers(doc) {
			images = append(images, get(c, "image").(string))
		}
	}
	var adminTools int
	for _, image := range images {
		name, tag := imageRef(image)
		switch name {
		case "temporalio/server":
			if tag != server {
				t.Errorf("%s: want temporalio/server:%s, the server of tools/go.mod", image, server)
			}
		case "temporalio/admin-tools":
			adminTools++
			// Tagged <server>-tctl-<v>-cli-<v> for releases of the 1.29 line.
			if tag != server && !strings.HasPrefix(tag, server+"-") {
				t.Errorf("%s: want the admin-tools of server %s", image, server)
			}
		case "temporalio/ui":
			if tag != ui {
				t.Errorf("%s: want temporalio/ui:%s, the UI server of tools/go.mod", image, ui)
			}
		case "minio/minio", "quay.io/minio/minio":
			t.Errorf("%s: MinIO is built from tools/go.mod (deploy/minio/Dockerfile)", image)
		}
	}
	if adminTools == 0 {
		t.Error("no temporalio/admin-tools image: who sets up the schema and namespace?")
	}
	minioService := composeServices(t)["minio"]
	if df := get(minioService, "build", "dockerfile"); df != "deploy/minio/Dockerfile" {
		t.Errorf("compose.yaml minio: built from %v, want deploy/minio/Dockerfile", df)
	}
	df, err := os.ReadFile("minio/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"COPY tools/go.mod tools/go.sum", "go build -trimpath -o /out/minio github.com/minio/minio", "go build -trimpath -o /out/mc github.com/minio/mc"} {
		if !bytes.Contains(df, []byte(want)) {
			t.Errorf("minio/Dockerfile does not %q", want)
		}
	}
}

// dockerfileFroms returns the base images of a Dockerfile with its ARG defaults substituted.
func dockerfileFroms(t testing.TB, path string) (froms []string, args map[string]string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	args = map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "ARG":
			if k, v, ok := strings.Cut(f[1], "="); ok {
				args[k] = v
			}
		case "FROM":
			ref := os.Expand(f[1], func(k string) string { return args[k] })
			froms = append(froms, ref)
		}
	}
	return froms, args
}

// TestDockerfiles: the Go of go.mod builds obieg; every base image is pinned; the obieg image
// runs as a non-root user with the binary as entrypoint.
func TestDockerfiles(t *testing.T) {
	data, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+)\.(\d+)(?:\.(\d+))?$`).FindSubmatch(data)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	modMajor, modMinor, modPatch := string(m[1]), string(m[2]), string(m[3])
	for _, path := range []string{"Dockerfile", "minio/Dockerfile"} {
		froms, args := dockerfileFroms(t, path)
		if len(froms) < 2 {
			t.Errorf("%s: %d stages, want a build stage and a runtime stage", path, len(froms))
		}
		for _, ref := range froms {
			checkPinned(t, path, ref)
		}
		gv := strings.Split(args["GO_VERSION"], ".")
		if len(gv) != 3 {
			t.Errorf("%s: GO_VERSION %q, want major.minor.patch", path, args["GO_VERSION"])
			continue
		}
		patch, _ := strconv.Atoi(gv[2])
		minPatch, _ := strconv.Atoi(modPatch)
		if gv[0] != modMajor || gv[1] != modMinor || patch < minPatch {
			t.Errorf("%s: Go %s, want a %s.%s release no older than go.mod's go %s.%s.%s", path, args["GO_VERSION"], modMajor, modMinor, modMajor, modMinor, modPatch)
		}
		if !strings.HasPrefix(froms[0], "golang:"+args["GO_VERSION"]) {
			t.Errorf("%s: builds with %s, want golang:%s", path, froms[0], args["GO_VERSION"])
		}
	}
	df, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `ENTRYPOINT ["/obieg"]`, "USER 65532:65532", "distroless/static"} {
		if !bytes.Contains(df, []byte(want)) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
}

func kubernetesDocs(t testing.TB) []map[string]any {
	t.Helper()
	paths, err := filepath.Glob("kubernetes/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no manifests in kubernetes/: %v", err)
	}
	var docs []map[string]any
	for _, p := range paths {
		for _, d := range readYAML(t, p) {
			if d["kind"] != "Kustomization" {
				d["_file"] = p
				docs = append(docs, d)
			}
		}
	}
	return docs
}

// containers returns the containers of a workload's pod template.
func containers(doc map[string]any) []any {
	return list(get(doc, "spec", "template", "spec", "containers"))
}

// TestKubernetes: obieg's pods are locked down, set real settings only, and the Deployments
// have the replicas, resources and probes they need.
func TestKubernetes(t *testing.T) {
	known := configNames()
	kinds := map[string]int{}
	for _, doc := range kubernetesDocs(t) {
		kind, _ := doc["kind"].(string)
		name, _ := get(doc, "metadata", "name").(string)
		where := doc["_file"].(string) + " " + kind + " " + name
		kinds[kind]++
		if ns := get(doc, "metadata", "namespace"); kind != "Namespace" && ns != "obieg" {
			t.Errorf("%s: namespace %v, want obieg", where, ns)
		}
		switch kind {
		case "ConfigMap", "Secret":
			if name != "obieg-config" && name != "obieg-env" {
				continue // obieg-files: files, not variables
			}
			data, _ := get(doc, "data").(map[string]any)
			if kind == "Secret" {
				data, _ = get(doc, "stringData").(map[string]any)
			}
			for k := range data {
				checkEnvName(t, where, k, known)
			}
		case "Deployment", "Job":
			pod := get(doc, "spec", "template", "spec")
			if get(pod, "automountServiceAccountToken") != false {
				t.Errorf("%s: service account token mounted", where)
			}
			for _, c := range containers(doc) {
				cname := get(c, "name")
				image, _ := get(c, "image").(string)
				checkPinned(t, where, image)
				sc := get(c, "securityContext")
				if get(sc, "runAsNonRoot") != true && get(pod, "securityContext", "runAsNonRoot") != true {
					t.Errorf("%s %v: runAsNonRoot not set", where, cname)
				}
				if get(sc, "readOnlyRootFilesystem") != true {
					t.Errorf("%s %v: root filesystem not read-only", where, cname)
				}
				if get(sc, "allowPrivilegeEscalation") != false {
					t.Errorf("%s %v: privilege escalation allowed", where, cname)
				}
				if !slices.Contains(list(get(sc, "capabilities", "drop")), any("ALL")) {
					t.Errorf("%s %v: capabilities not dropped", where, cname)
				}
				if get(sc, "seccompProfile", "type") != "RuntimeDefault" && get(pod, "securityContext", "seccompProfile", "type") != "RuntimeDefault" {
					t.Errorf("%s %v: no RuntimeDefault seccomp profile", where, cname)
				}
				if get(c, "resources", "limits", "memory") == nil || get(c, "resources", "requests", "cpu") == nil {
					t.Errorf("%s %v: no resources", where, cname)
				}
				if imageName, _ := imageRef(image); !obiegImages[imageName] {
					continue
				}
				for _, e := range list(get(c, "env")) {
					checkEnvName(t, where, get(e, "name").(string), known)
				}
			}
		}
		if kind != "Deployment" {
			continue
		}
		if r := get(doc, "spec", "replicas"); r != 2 {
			t.Errorf("%s: %v replicas, want 2", where, r)
		}
		c := containers(doc)[0]
		args := list(get(c, "args"))
		if name == "obieg-server" {
			if len(args) != 1 || args[0] != "server" {
				t.Errorf("%s: args %v, want [server]", where, args)
			}
			for _, probe := range []string{"readinessProbe", "startupProbe"} {
				if p := get(c, probe, "httpGet", "path"); p != "/healthz" {
					t.Errorf("%s: %s on %v, want /healthz", where, probe, p)
				}
			}
		}
		if name == "obieg-worker" && (len(args) != 1 || args[0] != "worker") {
			t.Errorf("%s: args %v, want [worker]", where, args)
		}
	}
	for kind, want := range map[string]int{"Namespace": 1, "ConfigMap": 1, "Secret": 2, "Deployment": 2, "Job": 2, "Service": 1, "Ingress": 1, "PodDisruptionBudget": 2} {
		if kinds[kind] < want {
			t.Errorf("got %d %s, want %d", kinds[kind], kind, want)
		}
	}
	if kinds["NetworkPolicy"] < 4 {
		t.Errorf("got %d NetworkPolicy, want default deny and one per workload", kinds["NetworkPolicy"])
	}
}

// TestKustomization: kustomization.yaml names files that exist.
func TestKustomization(t *testing.T) {
	docs := readYAML(t, "kubernetes/kustomization.yaml")
	res := list(get(docs[0], "resources"))
	if len(res) == 0 {
		t.Fatal("no resources")
	}
	for _, r := range res {
		if _, err := os.Stat(filepath.Join("kubernetes", r.(string))); err != nil {
			t.Error(err)
		}
	}
}

// TestSearchAttributes: the set-up scripts register exactly obieg's search attributes, all
// of type Keyword, as internal/adapters/visibility defines them.
func TestSearchAttributes(t *testing.T) {
	var want []string
	for name, typ := range visibility.Registered() {
		if typ.String() != "Keyword" {
			t.Errorf("search attribute %s is %s: the scripts register Keyword only", name, typ)
		}
		want = append(want, name)
	}
	slices.Sort(want)
	re := regexp.MustCompile(`for name in ([A-Za-z ]+); do`)
	for _, path := range []string{"temporal/setup-namespace.sh", "kubernetes/temporal-namespace-job.yaml"} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m := re.FindSubmatch(data)
		if m == nil {
			t.Errorf("%s: no list of search attributes", path)
			continue
		}
		got := strings.Fields(string(m[1]))
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: registers %v, want %v", path, got, want)
		}
		if !bytes.Contains(data, []byte("--type Keyword")) {
			t.Errorf("%s: does not register them as Keyword", path)
		}
	}
}

// TestDynamicConfig: every key of temporal/dynamicconfig.yaml is a setting of the Temporal
// server tools/go.mod pins, as its common/dynamicconfig/constants.go declares them.
func TestDynamicConfig(t *testing.T) {
	docs := readYAML(t, "temporal/dynamicconfig.yaml")
	if len(docs) != 1 || len(docs[0]) == 0 {
		t.Fatal("temporal/dynamicconfig.yaml: want one document of settings")
	}
	for key, v := range docs[0] {
		values := list(v)
		if len(values) == 0 {
			t.Errorf("%s: want a list of {value, constraints}", key)
		}
		for _, e := range values {
			if get(e, "value") == nil {
				t.Errorf("%s: an entry without value", key)
			}
		}
	}
	version := modVersion(t, "../tools/go.mod", "go.temporal.io/server")
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skipf("go env GOMODCACHE: %v", err)
	}
	constants := filepath.Join(strings.TrimSpace(string(out)), "go.temporal.io", "server@v"+version, "common", "dynamicconfig", "constants.go")
	src, err := os.ReadFile(constants)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the Temporal server source is not in the module cache (cd tools && go mod download go.temporal.io/server): %v", err)
		}
		t.Skipf("the Temporal server source is not in the module cache (cd tools && go mod download go.temporal.io/server): %v", err)
	}
	for key := range docs[0] {
		if !bytes.Contains(src, []byte(strconv.Quote(key))) {
			t.Errorf("%s is not a dynamic config key of go.temporal.io/server v%s", key, version)
		}
	}
}
