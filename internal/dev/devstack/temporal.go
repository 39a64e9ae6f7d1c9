package devstack

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// searchAttributeTypes are the names the Temporal dev server accepts for --search-attribute.
var searchAttributeTypes = map[enumspb.IndexedValueType]string{
	enumspb.INDEXED_VALUE_TYPE_TEXT:         "Text",
	enumspb.INDEXED_VALUE_TYPE_KEYWORD:      "Keyword",
	enumspb.INDEXED_VALUE_TYPE_INT:          "Int",
	enumspb.INDEXED_VALUE_TYPE_DOUBLE:       "Double",
	enumspb.INDEXED_VALUE_TYPE_BOOL:         "Bool",
	enumspb.INDEXED_VALUE_TYPE_DATETIME:     "Datetime",
	enumspb.INDEXED_VALUE_TYPE_KEYWORD_LIST: "KeywordList",
}

// startTemporal runs the Temporal dev server with its state in dir (SQLite in WAL mode), the
// namespace and search attributes created at launch, and the Web UI on uiPort (0: no UI).
func startTemporal(ctx context.Context, bin, dir string, port, uiPort int, namespace string, attrs map[string]enumspb.IndexedValueType) (*proc, error) {
	args := []string{"server", "start-dev",
		"--ip", "127.0.0.1", "--port", strconv.Itoa(port),
		"--db-filename", filepath.Join(dir, "temporal.db"),
		"--sqlite-pragma", "journal_mode=wal",
		"--sqlite-pragma", "synchronous=normal",
		"--namespace", namespace,
		"--log-level", "warn",
	}
	if uiPort == 0 {
		args = append(args, "--headless")
	} else {
		args = append(args, "--ui-port", strconv.Itoa(uiPort), "--ui-ip", "127.0.0.1")
	}
	for name, typ := range attrs {
		tn, ok := searchAttributeTypes[typ]
		if !ok {
			return nil, fmt.Errorf("temporal: search attribute %s has unsupported type %v", name, typ)
		}
		args = append(args, "--search-attribute", name+"="+tn)
	}
	p, err := startProc("temporal", bin, args, nil, filepath.Join(dir, "temporal.log"), nil)
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	err = p.waitReady(ctx, 90*time.Second, func(ctx context.Context) error {
		c, err := client.DialContext(ctx, client.Options{HostPort: addr, Namespace: namespace, Logger: quietLogger{}})
		if err != nil {
			return err
		}
		defer c.Close()
		if _, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace}); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		_ = p.stop(syscall.SIGTERM, 15*time.Second)
		return nil, err
	}
	return p, nil
}

// quietLogger keeps the SDK's connection chatter out of the health check.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}
