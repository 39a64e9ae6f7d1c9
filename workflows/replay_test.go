package workflows

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// registered records the names RegisterWorkflows gives the workflows.
type registered struct {
	worker.WorkflowRegistry
	names []string
}

func (r *registered) RegisterWorkflowWithOptions(_ any, o workflow.RegisterOptions) {
	r.names = append(r.names, o.Name)
}

// TestReplayCoversEveryWorkflow: every workflow obieg registers has a recorded history in
// testdata for TestReplay, so that a workflow added without one, or whose only history was
// removed, fails here.
func TestReplayCoversEveryWorkflow(t *testing.T) {
	var r registered
	RegisterWorkflows(&r)
	files, err := filepath.Glob(filepath.Join("testdata", "*.history.json"))
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[string][]string{} // workflow type -> history files
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var h struct {
			Events []struct {
				Started *struct {
					WorkflowType struct {
						Name string `json:"name"`
					} `json:"workflowType"`
				} `json:"workflowExecutionStartedEventAttributes"`
			} `json:"events"`
		}
		if err := json.Unmarshal(b, &h); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(h.Events) == 0 || h.Events[0].Started == nil {
			t.Fatalf("%s: got no WorkflowExecutionStarted first event, want a whole history", f)
		}
		name := h.Events[0].Started.WorkflowType.Name
		recorded[name] = append(recorded[name], filepath.Base(f))
	}
	if len(r.names) == 0 {
		t.Fatal("RegisterWorkflows registered no workflow")
	}
	for _, name := range r.names {
		if len(recorded[name]) == 0 {
			t.Errorf("workflow %s has no recorded history in testdata (histories: %v); record one with -update (README, Test it)", name, recorded)
		}
	}
}
