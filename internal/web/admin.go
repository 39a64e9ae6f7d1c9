package web

import (
	"context"
	"net/http"
	"time"

	"github.com/obieg/obieg/internal/domain/jrwa"
	"github.com/obieg/obieg/internal/records/auth"
	"github.com/obieg/obieg/internal/records/plan"
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
	return adminChange(s, w, r, u, "change routing rules", http.StatusOK, func(rule jrwa.RoutingRule) (jrwa.RoutingRule, error) {
		rule.FormType = r.PathValue("form")
		return rule, s.plan.PutRule(r.Context(), rule, who(u))
	})
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
	return adminChange(s, w, r, u, "change the filing plan", http.StatusOK, func(c jrwa.Class) (jrwa.Class, error) {
		c.Symbol = r.PathValue("symbol")
		return c, s.plan.PutClass(r.Context(), c, who(u))
	})
}
