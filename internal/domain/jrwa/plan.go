package jrwa

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/obieg/obieg/internal/domain/problem"
)

// MaxDepth is the deepest level of the plan: symbols have at most four digits.
const MaxDepth = 4

// MinTerminalDepth is the shallowest level at which a class may be terminal. Levels 1 and 2
// only group classes (the ten top classes, 0 to 9, and their divisions), so a class at those
// levels without children is an unfinished plan, not a place to open cases in.
const MinTerminalDepth = 3

// Class is a class of the filing plan.
type Class struct {
	// Symbol is one to four decimal digits, one per level, e.g. "0570".
	Symbol string `json:"symbol"`
	// Heading is the class's Polish heading, e.g. "Skargi i wnioski".
	Heading string `json:"heading"`
	// Category is the archival category; set on terminal classes only.
	Category Category `json:"category,omitzero"`
	// Counting says from when the retention of a terminal class's records is counted; ""
	// counts from the case's closing (FromClosing).
	Counting Counting `json:"counting,omitempty"`
}

// Depth returns the level of c, the number of digits in its symbol.
func (c Class) Depth() int {
	return len(c.Symbol)
}

// Parent returns the symbol of c's parent, or "" for a top class.
func (c Class) Parent() string {
	if len(c.Symbol) <= 1 {
		return ""
	}
	return c.Symbol[:len(c.Symbol)-1]
}

// Plan is a validated filing plan. It is immutable once built; its methods return copies and
// are safe for concurrent use.
type Plan struct {
	classes  []Class        // sorted by symbol: depth first, "0" < "05" < "057" < "0570" < "06"
	index    map[string]int // symbol -> position in classes
	terminal map[string]bool
}

// NewPlan validates classes and builds a Plan. The rules:
//
//   - every symbol is one to MaxDepth ASCII decimal digits and appears once;
//   - every heading is non-empty;
//   - every class below the top has its parent (its symbol without the last digit);
//   - a class has at most ten children: this follows from the two rules above, since a
//     child adds one digit, 0 to 9, to its parent's symbol, so it needs no check of its own;
//   - a class with children carries no category;
//   - a terminal class (no children) is at depth MinTerminalDepth or deeper and carries a
//     valid category. So every terminal class of depth 4 has a category, and so does every
//     terminal class of depth 3; a childless class of depth 1 or 2 is rejected.
//
// NewPlan reports every violation it finds, joined, each wrapping ErrInvalid, in an error of
// kind problem.Invalid whose message says them all in Polish, by symbol. It does not keep
// classes.
func NewPlan(classes []Class) (*Plan, error) {
	if len(classes) == 0 {
		return nil, problem.NewInvalid("Wykaz akt nie ma żadnej klasy.", fmt.Errorf("build plan: no classes: %w", ErrInvalid))
	}
	p := &Plan{
		classes:  slices.Clone(classes),
		index:    make(map[string]int, len(classes)),
		terminal: make(map[string]bool, len(classes)),
	}
	slices.SortStableFunc(p.classes, func(a, b Class) int { return strings.Compare(a.Symbol, b.Symbol) })

	var errs []error
	var says []violation // the same, in Polish
	bad := func(c Class, polish, format string, args ...any) {
		errs = append(errs, fmt.Errorf("class %q: %s: %w", c.Symbol, fmt.Sprintf(format, args...), ErrInvalid))
		says = append(says, violation{c.Symbol, polish})
	}
	hasChildren := make(map[string]bool)
	for i, c := range p.classes {
		if !validSymbol(c.Symbol) {
			bad(c, fmt.Sprintf("Symbol klasy %q musi mieć od 1 do %d cyfr.", c.Symbol, MaxDepth), "symbol must be 1 to %d decimal digits", MaxDepth)
			continue
		}
		if _, dup := p.index[c.Symbol]; dup {
			bad(c, fmt.Sprintf("Symbol %s występuje w wykazie dwa razy.", c.Symbol), "duplicate symbol")
			continue
		}
		p.index[c.Symbol] = i
		if strings.TrimSpace(c.Heading) == "" {
			bad(c, fmt.Sprintf("Klasa %s nie ma hasła klasyfikacyjnego.", c.Symbol), "empty heading")
		}
		if c.Depth() > 1 {
			hasChildren[c.Parent()] = true
		}
	}
	for sym, i := range p.index {
		c := p.classes[i]
		if parent := c.Parent(); parent != "" {
			if _, ok := p.index[parent]; !ok {
				bad(c, fmt.Sprintf("Klasa %s nie ma klasy nadrzędnej %s.", c.Symbol, parent), "parent class %q missing", parent)
			}
		}
		switch {
		case hasChildren[sym] && !c.Category.IsZero():
			bad(c, fmt.Sprintf("Klasa %s ma podklasy, więc nie ma kategorii archiwalnej: kategorię mają tylko klasy końcowe.", c.Symbol),
				"category %v on a class with children; only terminal classes carry one", c.Category)
		case !hasChildren[sym] && c.Depth() < MinTerminalDepth:
			bad(c, fmt.Sprintf("Klasa %s nie ma podklas, a klasa końcowa ma od %d do %d cyfr.", c.Symbol, MinTerminalDepth, MaxDepth),
				"terminal class at depth %d; terminal classes are at depth %d to %d", c.Depth(), MinTerminalDepth, MaxDepth)
		case !hasChildren[sym] && c.Category.IsZero():
			bad(c, fmt.Sprintf("Klasa końcowa %s musi mieć kategorię archiwalną.", c.Symbol), "terminal class without an archival category")
		case hasChildren[sym] && c.Counting != "":
			bad(c, fmt.Sprintf("Klasa %s ma podklasy, więc nie ma sposobu liczenia okresu przechowywania: mają go tylko klasy końcowe.", c.Symbol),
				"counting %q on a class with children", c.Counting)
		case !hasChildren[sym]:
			if _, err := ParseCounting(string(c.Counting)); err != nil {
				errs = append(errs, fmt.Errorf("class %q: %w", c.Symbol, err))
				says = append(says, violation{c.Symbol, fmt.Sprintf("Klasa %s: nieznany sposób liczenia okresu przechowywania %q.", c.Symbol, c.Counting)})
			}
			if err := c.Category.Validate(); err != nil {
				errs = append(errs, fmt.Errorf("class %q: %w", c.Symbol, err))
				says = append(says, violation{c.Symbol, fmt.Sprintf("Klasa %s ma nieprawidłową kategorię archiwalną %v.", c.Symbol, c.Category)})
			}
		}
		p.terminal[sym] = !hasChildren[sym]
	}
	if len(errs) > 0 {
		slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
		slices.SortStableFunc(says, func(a, b violation) int { return strings.Compare(a.symbol, b.symbol) })
		msgs := make([]string, len(says))
		for i, v := range says {
			msgs[i] = v.message
		}
		return nil, problem.NewInvalid(strings.Join(msgs, " "), fmt.Errorf("build plan: %w", errors.Join(errs...)))
	}
	return p, nil
}

// violation is what is wrong with the class symbol, said in Polish.
type violation struct{ symbol, message string }

func validSymbol(s string) bool {
	if len(s) < 1 || len(s) > MaxDepth {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Lookup returns the class with symbol, and whether there is one.
func (p *Plan) Lookup(symbol string) (Class, bool) {
	i, ok := p.index[symbol]
	if !ok {
		return Class{}, false
	}
	return p.classes[i], true
}

// IsTerminal reports whether symbol is a class of p without children, i.e. one in which cases
// may be opened. It is false for a symbol not in p.
func (p *Plan) IsTerminal(symbol string) bool {
	return p.terminal[symbol]
}

// Children returns the direct children of symbol in symbol order, or the top classes when
// symbol is "". It returns nil for a terminal class or a symbol not in p.
func (p *Plan) Children(symbol string) []Class {
	var out []Class
	for _, c := range p.classes {
		if c.Depth() == len(symbol)+1 && strings.HasPrefix(c.Symbol, symbol) {
			out = append(out, c)
		}
	}
	return out
}

// Terminal returns the terminal classes, those in which cases are opened, in symbol order.
func (p *Plan) Terminal() []Class {
	var out []Class
	for _, c := range p.classes {
		if p.terminal[c.Symbol] {
			out = append(out, c)
		}
	}
	return out
}

// Classes returns every class of p, in symbol order (depth first).
func (p *Plan) Classes() []Class {
	return slices.Clone(p.classes)
}

// Path returns the classes from the top class down to symbol, e.g. "0", "05", "057", "0570"
// for "0570", for showing where a class sits; nil if symbol is not in p.
func (p *Plan) Path(symbol string) []Class {
	if _, ok := p.index[symbol]; !ok {
		return nil
	}
	out := make([]Class, 0, len(symbol))
	for n := 1; n <= len(symbol); n++ {
		out = append(out, p.classes[p.index[symbol[:n]]])
	}
	return out
}
