package app

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"
)

// startRun starts the long-running workflow id (registered as name) with input before
// Services would start it with its own (StartIntake, StartMailboxIntake leave a running one
// alone), so that a test can bound its run (MaxPerRun) and record the whole run. It returns
// the run's id.
func (o *testOffice) startRun(t *testing.T, id, name string, input any) string {
	t.Helper()
	run, err := o.tc.ExecuteWorkflow(o.ctx, client.StartWorkflowOptions{ID: id, TaskQueue: o.cfg.TaskQueue}, name, input)
	if err != nil {
		t.Fatalf("start %s: %v", id, err)
	}
	return run.GetRunID()
}

// continuedAsNew waits until run runID of workflow id continues as new, and returns the
// input of the next run into next.
func (o *testOffice) continuedAsNew(t *testing.T, id, runID string, next any) {
	t.Helper()
	err := o.tc.GetWorkflow(o.ctx, id, runID).GetWithOptions(o.ctx, nil, client.WorkflowRunGetOptions{DisableFollowingRuns: true})
	var can *workflow.ContinueAsNewError
	if !errors.As(err, &can) {
		t.Fatalf("run %s of %s ended with %v, want continue-as-new", runID, id, err)
	}
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, next); err != nil {
		t.Fatalf("input of the next run of %s: %v", id, err)
	}
}

// historyDir is workflows/testdata, where -update writes the histories the replay tests of
// package workflows read: found from the module's root, wherever this package lies in the tree.
func historyDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "workflows", "testdata")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory: cannot find workflows/testdata")
		}
		dir = parent
	}
}
