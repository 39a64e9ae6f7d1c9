package web

import (
	"context"
	"net/http"
	"time"

	"github.com/obieg/obieg/internal/auth"
	"github.com/obieg/obieg/internal/jrwa"
	"github.com/obieg/obieg/internal/plan"
)

// Plan is what administration needs of the filing plan and routing rules.
type Plan interface {
	Classes(ctx context.Context) ([]jrwa.Class, error)
	PutClass(ctx context.Context, c jrwa.Class, who plan.Who) error
	PutRule(ctx context.Context, r jrwa.RoutingRule, who plan.Who) error
}

// Rules lists the routing rules.
type Rules interface {
	Rules(ctx context.Context) ([]jrwa.RoutingRule, error)
}

func (s *Server) adminOnly(u auth.User, what string) error {
	if u.Role != auth.RoleAdmin {
		return forbidden(u, what)
	}
	return nil
}

func who(u auth.User) plan.Who {
	return plan.Who{Username: u.Username, Role: string(u.Role), At: time.Now()}
}

func (s *Server) adminPage(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "administer"); err != nil {
		return err
	}
	rules, err := s.rules.Rules(r.Context())
	if err != nil {
		return err
	}
	classes, err := s.plan.Classes(r.Context())
	if err != nil {
		return err
	}
	units, terminal, err := s.targets.Targets(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, "admin.html", map[string]any{"Title": "Administracja", "Nav": "administracja", "Rules": rules,
		"Classes": classes, "Units": units, "Terminal": terminal, "User": &u,
		"Done": r.URL.Query().Get("wykonano"), "Refused": r.URL.Query().Get("odmowa")})
}

func (s *Server) rulesAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if u.Role != auth.RoleAdmin && u.Role != auth.RoleRegistry {
		return forbidden(u, "list routing rules")
	}
	rules, err := s.rules.Rules(r.Context())
	if err != nil {
		return err
	}
	if rules == nil {
		rules = []jrwa.RoutingRule{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"rules": rules})
	return nil
}

func (s *Server) putRuleAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "change routing rules"); err != nil {
		return err
	}
	var rule jrwa.RoutingRule
	if err := decodeAction(w, r, &rule); err != nil {
		return err
	}
	rule.FormType = r.PathValue("form")
	if err := s.plan.PutRule(r.Context(), rule, who(u)); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rule)
	return nil
}

func (s *Server) putRuleForm(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "change routing rules"); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return badRequest("Nieprawidłowy formularz.", err)
	}
	rule := jrwa.RoutingRule{FormType: r.PathValue("form"), Class: r.PostForm.Get("jrwa_class"), Unit: r.PostForm.Get("unit"), Term: r.PostForm.Get("term")}
	return backAfter(w, r, "/administracja", "rule", s.plan.PutRule(r.Context(), rule, who(u)))
}

func (s *Server) classesAPI(w http.ResponseWriter, r *http.Request, _ auth.User) error {
	classes, err := s.plan.Classes(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"classes": classes})
	return nil
}

func (s *Server) putClassAPI(w http.ResponseWriter, r *http.Request, u auth.User) error {
	if err := s.adminOnly(u, "change the filing plan"); err != nil {
		return err
	}
	var c jrwa.Class
	if err := decodeAction(w, r, &c); err != nil {
		return err
	}
	c.Symbol = r.PathValue("symbol")
	if err := s.plan.PutClass(r.Context(), c, who(u)); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}
