package dashboard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/orgfile"
)

// page is what templates/page.html renders.
type page struct {
	t        i18n.Texts
	Lang     string
	Title    string
	Who      string
	Scope    string
	Sections []Section
	// Login pages: Message, and Token when the link may be used.
	Message string
	Token   string
	Bad     bool
}

// T is a text in the page's language, for the template.
func (p page) T(id string) string { return p.t.T(id) }

// both is a text in every language, for pages shown before anyone is known.
func (h *Handler) both(id string) string {
	var parts []string
	for _, loc := range i18n.Locales() {
		parts = append(parts, h.texts.For(loc).T(id))
	}
	return strings.Join(parts, " / ")
}

func (h *Handler) show(w http.ResponseWriter, r *http.Request, name string, status int, p page) {
	var b bytes.Buffer
	if err := h.pages.ExecuteTemplate(&b, name, p); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// signedOut shows who is not signed in how to get in: from chat.
func (h *Handler) signedOut(w http.ResponseWriter, r *http.Request, msgID string, status int) {
	t := h.texts.For("")
	h.show(w, r, "login", status, page{t: t, Lang: t.Locale(), Title: h.both("dashboard.title"), Message: h.both(msgID), Bad: true})
}

// loginPage checks a link without using it and offers to sign in: a chat
// platform's preview of the link fetches this page and spends nothing.
func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("t")
	person, _, err := h.links.check(token)
	if err != nil {
		h.signedOut(w, r, linkMessage(err), http.StatusUnauthorized)
		return
	}
	p, err := h.store.Person(r.Context(), person)
	if err != nil {
		h.signedOut(w, r, "dashboard.link.invalid", http.StatusUnauthorized)
		return
	}
	t := h.texts.For(p.Locale)
	h.show(w, r, "login", http.StatusOK, page{t: t, Lang: t.Locale(), Title: t.T("dashboard.title"), Who: p.Name,
		Message: t.T("dashboard.login.prompt"), Token: token})
}

// linkMessage is the text for a link that cannot sign in.
func linkMessage(err error) string {
	switch {
	case errors.Is(err, ErrLinkExpired):
		return "dashboard.link.expired"
	case errors.Is(err, ErrLinkUsed):
		return "dashboard.link.used"
	}
	return "dashboard.link.invalid"
}

// login trades a link for a session.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	person, err := h.links.Redeem(r.Context(), r.PostFormValue("t"))
	switch {
	case errors.Is(err, ErrLinkInvalid), errors.Is(err, ErrLinkExpired), errors.Is(err, ErrLinkUsed):
		h.signedOut(w, r, linkMessage(err), http.StatusUnauthorized)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	h.sessions.set(w, person, h.secureReq(r))
	h.log.InfoContext(r.Context(), "dashboard sign-in", "person", person)
	http.Redirect(w, r, BasePath, http.StatusSeeOther)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	h.sessions.clear(w, h.secureReq(r))
	h.signedOut(w, r, "dashboard.signed_out", http.StatusOK)
}

// overview shows every view.
func (h *Handler) overview(w http.ResponseWriter, r *http.Request) {
	s, err := h.scopeFor(r.Context(), r)
	if errors.Is(err, errNoSession) {
		h.signedOut(w, r, "dashboard.need_link", http.StatusUnauthorized)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.buildPage(r.Context(), s)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.show(w, r, "page", http.StatusOK, p)
}

// buildPage builds the overview for s.
func (h *Handler) buildPage(ctx context.Context, s *scope) (page, error) {
	p := page{t: s.t, Lang: s.t.Locale(), Title: s.t.T("dashboard.title"), Who: s.me.Name}
	switch {
	case s.hr:
		p.Scope = s.t.T("dashboard.scope.company")
	case s.own:
		p.Scope = s.t.T("dashboard.scope.own")
	default:
		p.Scope = s.t.T("dashboard.scope.team")
	}
	for _, v := range h.views {
		sec, err := v.build(ctx, s)
		if err != nil {
			return page{}, fmt.Errorf("dashboard: view %s: %w", v.id, err)
		}
		p.Sections = append(p.Sections, sec)
	}
	return p, nil
}

// export downloads one view's table, exactly as shown.
func (h *Handler) export(w http.ResponseWriter, r *http.Request) {
	s, err := h.scopeFor(r.Context(), r)
	if errors.Is(err, errNoSession) {
		h.signedOut(w, r, "dashboard.need_link", http.StatusUnauthorized)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	file := r.PathValue("file")
	id, format, _ := strings.Cut(file, ".")
	if format != orgfile.FormatCSV && format != orgfile.FormatXLSX {
		http.NotFound(w, r)
		return
	}
	for _, v := range h.views {
		if v.id != id {
			continue
		}
		sec, err := v.build(r.Context(), s)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if sec.NoDownload || sec.Empty != "" {
			http.NotFound(w, r)
			return
		}
		var b bytes.Buffer
		if format == orgfile.FormatCSV {
			b.WriteString("\ufeff") // Excel reads UTF-8 (Chinese) only after a BOM
		}
		if err := orgfile.WriteSheet(&b, format, sec.Table.Name, sec.Table.Header, sec.Table.Rows); err != nil {
			h.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", contentTypes[format])
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="perfbot-%s-%s.%s"`, id, s.now.In(s.loc).Format("2006-01-02"), format))
		_, _ = w.Write(b.Bytes())
		return
	}
	http.NotFound(w, r)
}

var contentTypes = map[string]string{
	orgfile.FormatCSV:  "text/csv; charset=utf-8",
	orgfile.FormatXLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

func (h *Handler) style(w http.ResponseWriter, r *http.Request) {
	css, err := files.ReadFile("templates/style.css")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	_, _ = w.Write(css)
}
