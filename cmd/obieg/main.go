// Command obieg is obieg's production binary: `obieg server` and `obieg worker` are the
// production processes;
// `obieg migrate` applies the schema; `obieg deadline` computes a KPA due date; `obieg lifecycle`
// prints the case lifecycle (stages, actions, its state diagram); `obieg verify` gives the ETSI
// verdicts of the XAdES signatures of XML files. Everything on one machine for
// development and demos is cmd/obieg-dev (`make run`), kept apart so that none of its code is
// linked into this binary.
//
// Exit codes: 0 success, 1 failure, 2 wrong usage.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var started bool
	err := newRoot(os.Getenv, os.Stdout, &started).ExecuteContext(ctx)
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "obieg:", err)
	var ue usageError
	if !started || errors.As(err, &ue) {
		fmt.Fprintln(os.Stderr, "Run 'obieg --help' for usage.")
		os.Exit(2)
	}
	os.Exit(1)
}
