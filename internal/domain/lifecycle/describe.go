package lifecycle

import (
	"fmt"
	"io"
	"strings"
)

// Table is the lifecycle as data, for people and tools (obieg lifecycle --json).
type Table struct {
	Stages  []StageInfo  `json:"stages"`
	Actions []ActionInfo `json:"actions"`
	Events  []Event      `json:"events"`
}

// StageInfo is a stage with its label.
type StageInfo struct {
	Stage   Stage  `json:"stage"`
	Label   string `json:"label"`
	Closing bool   `json:"closing,omitempty"`
}

// ActionInfo is a row of the action table as data.
type ActionInfo struct {
	Name     string     `json:"name"`
	Label    string     `json:"label"`
	Input    string     `json:"input"`
	Fields   []string   `json:"fields,omitempty"`
	Who      []Relation `json:"who"`
	From     []Stage    `json:"from"`
	To       []Stage    `json:"to"`
	Needs    []string   `json:"needs,omitempty"`
	Variants []Variant  `json:"variants,omitempty"`
}

// Describe returns the lifecycle as data.
func Describe() Table {
	var t Table
	for _, s := range Stages() {
		t.Stages = append(t.Stages, StageInfo{Stage: s, Label: s.Label(), Closing: s.Closing()})
	}
	for _, a := range actions {
		info := ActionInfo{Name: a.Name, Label: a.Label, Input: a.Input.Name(), Fields: a.Fields, Who: a.Who, From: a.From, To: a.To,
			Variants: a.Variants}
		for _, n := range a.Needs {
			info.Needs = append(info.Needs, n.Text)
		}
		t.Actions = append(t.Actions, info)
	}
	t.Events = Events()
	return t
}

// WriteText writes the lifecycle for people: the stages, then the actions with who may do
// them, from which stages, to which, and what else they need.
func WriteText(w io.Writer) error {
	t := Describe()
	var b strings.Builder
	b.WriteString("Stany sprawy:\n")
	for _, s := range t.Stages {
		end := ""
		if s.Closing {
			end = " (kończy sprawę)"
		}
		fmt.Fprintf(&b, "  %-20s %s%s\n", s.Stage, s.Label, end)
	}
	b.WriteString("\nCzynności:\n")
	for _, a := range t.Actions {
		var who []string
		for _, r := range a.Who {
			who = append(who, r.Label())
		}
		fmt.Fprintf(&b, "  %-16s %s\n", a.Name, a.Label)
		fmt.Fprintf(&b, "  %-16s kto: %s; dane: %s\n", "", strings.Join(who, ", "), a.Input)
		fmt.Fprintf(&b, "  %-16s ze stanu: %s; do stanu: %s\n", "", stageList(a.From), stageList(a.To))
		for _, n := range a.Needs {
			fmt.Fprintf(&b, "  %-16s wymaga: %s\n", "", n)
		}
	}
	b.WriteString("\nZdarzenia (bez udziału ludzi):\n")
	for _, e := range t.Events {
		fmt.Fprintf(&b, "  %-16s %s: %s -> %s\n", e.Name, e.Label, e.From, e.To)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func stageList(stages []Stage) string {
	s := make([]string, len(stages))
	for i, st := range stages {
		s[i] = string(st)
	}
	return strings.Join(s, ", ")
}

// WriteDot writes the state diagram of the lifecycle in Graphviz's DOT language: a node for
// each stage (closing ones doubly circled), an edge for each action from each stage it is
// possible in to each it may lead to, labelled with its name, who may do it and what else it
// needs, and a dashed edge for each event no person makes.
func WriteDot(w io.Writer) error {
	var b strings.Builder
	b.WriteString("// The case lifecycle of obieg, from package lifecycle's table (obieg lifecycle --dot).\n")
	b.WriteString("digraph lifecycle {\n\trankdir=LR;\n\tnode [shape=box, style=rounded, fontname=\"sans-serif\", fontsize=10];\n")
	b.WriteString("\tedge [fontname=\"sans-serif\", fontsize=8];\n")
	for _, s := range Stages() {
		shape := ""
		if s.Closing() {
			shape = ", peripheries=2"
		}
		fmt.Fprintf(&b, "\t%q [label=%q%s];\n", s, string(s)+"\n"+s.Label(), shape)
	}
	for _, a := range actions {
		var who []string
		for _, r := range a.Who {
			who = append(who, string(r))
		}
		label := a.Name + "\n(" + strings.Join(who, ", ") + ")"
		for _, n := range a.Needs {
			label += "\n[" + n.Text + "]"
		}
		for _, from := range a.From {
			for _, to := range a.To {
				fmt.Fprintf(&b, "\t%q -> %q [label=%q];\n", from, to, label)
			}
		}
	}
	for _, e := range events {
		fmt.Fprintf(&b, "\t%q -> %q [label=%q, style=dashed];\n", e.From, e.To, e.Name+"\n"+e.Label)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
