package activities

import (
	"context"
	"errors"
	"testing"

	"go.temporal.io/sdk/testsuite"

	"github.com/obieg/obieg/internal/adapters/epuap"
	"github.com/obieg/obieg/internal/adapters/soap"
)

// queueBox is an ePUAP box in memory: a queue confirmed by skrot, whose confirmation can
// be made to fail after taking effect (an answer lost on the way back).
type queueBox struct {
	queue        [][]byte
	loseAnswer   bool  // confirm takes effect but answers with transportErr
	transportErr error // what a lost answer looks like to the client
}

func (b *queueBox) Next(context.Context) (*epuap.Delivery, error) {
	if len(b.queue) == 0 {
		return nil, epuap.ErrNoDocument
	}
	return &epuap.Delivery{Zawartosc: b.queue[0]}, nil
}

func (b *queueBox) ConfirmSkrot(_ context.Context, skrot string) error {
	for i, doc := range b.queue {
		if epuap.Skrot(doc) == skrot {
			b.queue = append(b.queue[:i], b.queue[i+1:]...)
			if b.loseAnswer {
				b.loseAnswer = false
				return b.transportErr
			}
			return nil
		}
	}
	return &soap.Fault{Code: soap.FaultClient, String: "nieznany skrót", HasWyjatek: true, Kod: 300, Komunikat: "nieznany skrót"}
}

func TestConfirmInBox(t *testing.T) {
	a, b := []byte("<a/>"), []byte("<b/>")
	lost := errors.New("connection reset by peer")
	tests := []struct {
		name     string
		queue    *queueBox
		refuse   bool // the box refuses every confirmation
		confirm  []byte
		attempts int
		wantErr  bool
		wantLeft int
	}{
		{name: "confirmed", queue: &queueBox{queue: [][]byte{a, b}}, confirm: a, attempts: 1, wantLeft: 1},
		{name: "repeated after a lost answer", queue: &queueBox{queue: [][]byte{a, b}, loseAnswer: true, transportErr: lost}, confirm: a, attempts: 2, wantLeft: 1},
		{name: "repeated after a lost answer, box now empty", queue: &queueBox{queue: [][]byte{a}, loseAnswer: true, transportErr: lost}, confirm: a, attempts: 2, wantLeft: 0},
		{name: "refused while still at the head", queue: &queueBox{queue: [][]byte{b}}, refuse: true, confirm: b, attempts: 1, wantErr: true, wantLeft: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s testsuite.WorkflowTestSuite
			env := s.NewTestActivityEnvironment()
			var box PullBox = tt.queue
			if tt.refuse {
				box = &refusingBox{queueBox: tt.queue}
			}
			intake := &Intake{Box: box}
			env.RegisterActivity(intake)
			var err error
			for range tt.attempts {
				if _, err = env.ExecuteActivity(intake.ConfirmInBox, epuap.Skrot(tt.confirm)); err == nil {
					break
				}
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error: %v", err, tt.wantErr)
			}
			if got := len(tt.queue.queue); got != tt.wantLeft {
				t.Errorf("got %d documents left in the box, want %d", got, tt.wantLeft)
			}
		})
	}
}

// refusingBox refuses every confirmation, leaving the queue as it is.
type refusingBox struct{ *queueBox }

func (b *refusingBox) ConfirmSkrot(context.Context, string) error {
	return &soap.Fault{Code: soap.FaultServer, String: "błąd systemu", HasWyjatek: true, Kod: 900, Komunikat: "błąd systemu"}
}
