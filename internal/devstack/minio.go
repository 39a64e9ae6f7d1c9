package devstack

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// startMinIO runs a single-drive MinIO server with its drive in dir, the S3 API on port and
// the console on consolePort.
func startMinIO(ctx context.Context, bin, dir string, port, consolePort int, accessKey, secretKey string) (*proc, error) {
	args := []string{"server", filepath.Join(dir, "drive"),
		"--address", "127.0.0.1:" + strconv.Itoa(port),
		"--console-address", "127.0.0.1:" + strconv.Itoa(consolePort),
		"--quiet",
	}
	env := []string{
		"MINIO_ROOT_USER=" + accessKey,
		"MINIO_ROOT_PASSWORD=" + secretKey,
		"MINIO_BROWSER_REDIRECT=off",
		"MINIO_UPDATE=off",
		"MINIO_CALLHOME_ENABLE=off",
	}
	p, err := startProc("minio", bin, args, env, filepath.Join(dir, "minio.log"), nil)
	if err != nil {
		return nil, err
	}
	health := "http://127.0.0.1:" + strconv.Itoa(port) + "/minio/health/ready"
	err = p.waitReady(ctx, 60*time.Second, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, health, nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("health: %s", resp.Status)
		}
		return nil
	})
	if err != nil {
		_ = p.stop(syscall.SIGTERM, 10*time.Second)
		return nil, err
	}
	return p, nil
}
