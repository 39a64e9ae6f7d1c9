package devstack

import (
	"context"
	"path/filepath"
	"strconv"
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
	return startHTTP(ctx, "minio", bin, args, env, filepath.Join(dir, "minio.log"), "http://127.0.0.1:"+strconv.Itoa(port)+"/minio/health/ready")
}
