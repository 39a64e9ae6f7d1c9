package cases

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/obieg/obieg/internal/domain/casefile"
	"github.com/obieg/obieg/internal/records/audit"
)

// AddDocument records a document of a case, once per key: adding again returns the first.
func (s *Store) AddDocument(ctx context.Context, d casefile.Document, key string) (casefile.Document, error) {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		existing, err := getDocument(ctx, tx, "idempotency_key = $1", key)
		if err == nil {
			d = existing
			return nil
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		if d.ID, err = uuid.NewV7(); err != nil {
			return err
		}
		var ref, unit string
		if err := tx.QueryRow(ctx, `SELECT reference, unit_code FROM cases WHERE id = $1`, d.CaseID).Scan(&ref, &unit); err != nil {
			return fmt.Errorf("%w: %s", ErrNotFound, d.CaseID)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO documents (id, case_id, kind, title, status, xml_key, pdf_key, sha256,
			created_at, created_by, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			d.ID, d.CaseID, d.Kind, d.Title, d.Status, d.XMLKey, d.PDFKey, d.SHA256, d.CreatedAt, d.CreatedBy, key); err != nil {
			return err
		}
		role := ""
		if d.CreatedBy == audit.SystemActor {
			role = audit.SystemActor
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{
			OccurredAt: d.CreatedAt, Actor: d.CreatedBy, ActorRole: role, Action: "case.document_issued",
			ObjectType: "case", ObjectID: ref, Unit: unit,
			Details:        map[string]any{"document_id": d.ID.String(), "kind": d.Kind, "sha256": d.SHA256},
			IdempotencyKey: "document/" + key,
		})
		return err
	})
	if err != nil {
		return casefile.Document{}, fmt.Errorf("add document to case %s: %w", d.CaseID, err)
	}
	return d, nil
}

// Documents lists the documents of a case, oldest first.
func (s *Store) Documents(ctx context.Context, caseID uuid.UUID) ([]casefile.Document, error) {
	rows, err := s.pool.Query(ctx, selectDocuments+` WHERE case_id = $1 ORDER BY created_at, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("documents of case %s: %w", caseID, err)
	}
	return pgx.CollectRows(rows, scanDocument)
}

// casefile.Document returns one document of a case, or ErrNotFound.
func (s *Store) Document(ctx context.Context, caseID, id uuid.UUID) (casefile.Document, error) {
	rows, err := s.pool.Query(ctx, selectDocuments+` WHERE case_id = $1 AND id = $2`, caseID, id)
	if err != nil {
		return casefile.Document{}, err
	}
	d, err := pgx.CollectExactlyOneRow(rows, scanDocument)
	if errors.Is(err, pgx.ErrNoRows) {
		return casefile.Document{}, fmt.Errorf("%w: document %s", ErrNotFound, id)
	}
	return d, err
}

func getDocument(ctx context.Context, q querier, where string, arg any) (casefile.Document, error) {
	rows, err := q.Query(ctx, selectDocuments+" WHERE "+where, arg)
	if err != nil {
		return casefile.Document{}, err
	}
	d, err := pgx.CollectExactlyOneRow(rows, scanDocument)
	if errors.Is(err, pgx.ErrNoRows) {
		return casefile.Document{}, ErrNotFound
	}
	return d, err
}

const selectDocuments = `SELECT id, case_id, kind, title, status, xml_key, pdf_key, sha256, created_at, created_by FROM documents`

func scanDocument(row pgx.CollectableRow) (casefile.Document, error) {
	var d casefile.Document
	err := row.Scan(&d.ID, &d.CaseID, &d.Kind, &d.Title, &d.Status, &d.XMLKey, &d.PDFKey, &d.SHA256, &d.CreatedAt, &d.CreatedBy)
	return d, err
}

// GrantCards gives each holder a card number (KR-<year>-<sequence>, gapless per year) in
// one transaction with its audit entry. key makes it idempotent: granting again with the same
// key returns the cards granted the first time.
func (s *Store) GrantCards(ctx context.Context, caseID uuid.UUID, holders []casefile.Card, key, by, role string, at time.Time) ([]casefile.Card, error) {
	var out []casefile.Card
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var ref, unit string
		if err := tx.QueryRow(ctx, `SELECT reference, unit_code FROM cases WHERE id = $1 FOR UPDATE`, caseID).Scan(&ref, &unit); err != nil {
			return fmt.Errorf("%w: %s", ErrNotFound, caseID)
		}
		year := at.Year()
		var numbers []string
		for i, h := range holders {
			memberKey := fmt.Sprintf("%s/%d", key, i)
			var number string
			err := tx.QueryRow(ctx, `SELECT number FROM family_cards WHERE idempotency_key = $1`, memberKey).Scan(&number)
			if errors.Is(err, pgx.ErrNoRows) {
				var seq int
				if err := tx.QueryRow(ctx, `INSERT INTO family_card_counters (year, last) VALUES ($1, 1)
					ON CONFLICT (year) DO UPDATE SET last = family_card_counters.last + 1 RETURNING last`, year).Scan(&seq); err != nil {
					return err
				}
				number = fmt.Sprintf("KR-%d-%06d", year, seq)
				if _, err := tx.Exec(ctx, `INSERT INTO family_cards (number, case_id, holder, valid_until, issued_at, idempotency_key)
					VALUES ($1, $2, $3, $4, $5, $6)`, number, caseID, h.Holder, dateArg(h.ValidUntil), at, memberKey); err != nil {
					return err
				}
			} else if err != nil {
				return err
			}
			h.Number = number
			out = append(out, h)
			numbers = append(numbers, number)
		}
		_, err := s.audit.AppendTx(ctx, tx, audit.Entry{OccurredAt: at, Actor: by, ActorRole: role, Action: "case.cards_granted",
			ObjectType: "case", ObjectID: ref, Unit: unit, Details: map[string]any{"cards": strings.Join(numbers, ",")},
			IdempotencyKey: "cards/" + key})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("grant cards in case %s: %w", caseID, err)
	}
	return out, nil
}
