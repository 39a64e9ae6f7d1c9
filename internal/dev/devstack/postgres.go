package devstack

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// postgresUser is the role and database devstack creates in a private cluster.
const postgresUser = "obieg"

// pgBinDir finds the directory of initdb and postgres: $PG_BINDIR from opts, pg_config's
// bindir, or the newest /usr/lib/postgresql/*/bin.
func pgBinDir(explicit string) (string, error) {
	if explicit != "" {
		return explicit, nil
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	if len(matches) > 0 {
		return filepath.Dir(matches[len(matches)-1]), nil
	}
	return "", fmt.Errorf("%w: PostgreSQL (initdb, postgres); install the postgresql package", ErrMissingBinary)
}

// runAs returns the credential to run PostgreSQL under: nil when we are not root, the
// postgres user's ids when we are (PostgreSQL refuses to run as root).
func runAs() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root needs a 'postgres' user to run PostgreSQL as: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// startPostgres initialises dir as a cluster when it is not one yet and runs it on port.
// It returns the process and a URL of the obieg database.
func startPostgres(ctx context.Context, binDir, dir string, port int, fast bool) (*proc, string, error) {
	cred, err := runAs()
	if err != nil {
		return nil, "", err
	}
	dataDir := filepath.Join(dir, "data")
	sockDir := filepath.Join(dir, "run")
	for _, d := range []string{dir, sockDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, "", fmt.Errorf("postgres: %w", err)
		}
		if cred != nil {
			if err := os.Chown(d, int(cred.Uid), int(cred.Gid)); err != nil {
				return nil, "", fmt.Errorf("postgres: give %s to the postgres user: %w", d, err)
			}
		}
	}
	if cred != nil {
		// The postgres user must be able to reach dir through its parents.
		if err := allowTraverse(filepath.Dir(dir)); err != nil {
			return nil, "", err
		}
	}
	logPath := filepath.Join(dir, "postgres.log")
	if _, err := os.Stat(filepath.Join(dataDir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		cmd := exec.CommandContext(ctx, filepath.Join(binDir, "initdb"),
			"-D", dataDir, "-U", postgresUser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, "", fmt.Errorf("postgres: initdb %s: %w\n%s", dataDir, err, out)
		}
	}
	args := []string{"-D", dataDir, "-p", strconv.Itoa(port), "-k", sockDir,
		"-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"}
	if fast {
		// Test clusters are thrown away: durability only slows them down.
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	p, err := startProc("postgres", filepath.Join(binDir, "postgres"), args, nil, logPath, cred)
	if err != nil {
		return nil, "", err
	}
	adminURL := fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", postgresUser, port)
	if err := p.waitReady(ctx, 60*time.Second, func(ctx context.Context) error {
		conn, err := pgx.Connect(ctx, adminURL)
		if err != nil {
			return err
		}
		return conn.Close(ctx)
	}); err != nil {
		_ = p.stop(syscall.SIGINT, 10*time.Second)
		return nil, "", err
	}
	if err := createDatabase(ctx, adminURL, postgresUser); err != nil {
		_ = p.stop(syscall.SIGINT, 10*time.Second)
		return nil, "", err
	}
	return p, fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", postgresUser, port, postgresUser), nil
}

// createDatabase creates database name through adminURL unless it exists.
func createDatabase(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("postgres: connect: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("postgres: look up database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("postgres: create database %s: %w", name, err)
	}
	return nil
}

// allowTraverse adds the execute bit for others on dir and its parents up to the root, so
// that a server running as another user can reach its data directory. Directories that
// already allow it are left alone.
func allowTraverse(dir string) error {
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		if fi.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(d, fi.Mode().Perm()|0o011); err != nil {
				return fmt.Errorf("postgres: let the postgres user reach %s: %w", d, err)
			}
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}
