package hook

import (
	"encoding/json"
	"net/http"
)

// problem is a refused request: what the sender did wrong, and where.
type problem struct {
	status  int
	field   string   // the header or body field at fault, if one is
	msg     string   // for the sender: says what to do, never a secret
	allowed []string // the kinds, when the kind was wrong
}

// refuse answers p, logging it at debug level: refusals are the sender's
// doing, and a flood of them should not flood the log.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, p problem) {
	h.log.DebugContext(r.Context(), "hook: refused", "status", p.status, "field", p.field,
		"source", r.Header.Get(HeaderSource), "reason", p.msg)
	reply(w, p.status, struct {
		Error   string   `json:"error"`
		Field   string   `json:"field,omitempty"`
		Allowed []string `json:"allowed,omitempty"`
	}{p.msg, p.field, p.allowed})
}

// fail answers a failure of perfbot's own with 500, logging err; the sender
// learns only that it may retry.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.log.ErrorContext(r.Context(), "hook: event failed", "source", r.Header.Get(HeaderSource), "err", err)
	reply(w, http.StatusInternalServerError, map[string]string{"error": "perfbot could not take the event; try again later"})
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
