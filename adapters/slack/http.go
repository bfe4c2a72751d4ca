package slack

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"

	slackapi "github.com/slack-go/slack"

	"github.com/perfbot/perfbot/bot"
)

// Mount registers the Events API endpoints on mux. In Socket Mode events
// come over the socket and nothing is mounted.
func (a *Adapter) Mount(mux *http.ServeMux, h bot.Handler) {
	if a.cfg.SocketMode() {
		a.log.Info("slack: socket mode, no HTTP endpoints mounted")
		return
	}
	mux.HandleFunc("POST /slack/events", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) {
		a.events(w, r, body, h)
	}))
	mux.HandleFunc("POST /slack/interactions", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) {
		a.interactions(w, r, body, h)
	}))
	mux.HandleFunc("POST /slack/commands", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) {
		a.commands(w, r, body, h)
	}))
}

// verified runs next only for requests signed by Slack.
func (a *Adapter) verified(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := a.verifier.read(w, r)
		if err != nil {
			a.log.WarnContext(r.Context(), "slack: request refused", "path", r.URL.Path, "err", err)
			refuse(w, err)
			return
		}
		next(w, r, body)
	}
}

// events takes Events API callbacks: it answers the url_verification
// challenge, and acknowledges an event before handing it on.
func (a *Adapter) events(w http.ResponseWriter, r *http.Request, body []byte, h bot.Handler) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	if env.Type == "url_verification" {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, env.Challenge)
		return
	}
	if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
		// The same event_id, so the same Event.ID: handled once.
		a.log.DebugContext(r.Context(), "slack: redelivered event", "event", env.EventID, "retry", n,
			"reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	ack(w, a.callback(r.Context(), env, h))
}

// ack answers Slack once the event is kept: 200, or 500 so that Slack
// delivers it again.
func ack(w http.ResponseWriter, err error) {
	if err != nil {
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// interactions takes button clicks and form submissions (a form-encoded
// JSON payload).
func (a *Adapter) interactions(w http.ResponseWriter, r *http.Request, body []byte, h bot.Handler) {
	form, err := url.ParseQuery(string(body))
	var cb slackapi.InteractionCallback
	if err == nil {
		err = json.Unmarshal([]byte(form.Get("payload")), &cb)
	}
	if err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	// An empty 200 is the acknowledgement Slack wants, and for a
	// view_submission it closes the modal.
	ack(w, a.interaction(r.Context(), cb, h))
}

// commands takes slash commands. The answer comes as a direct message, so
// the acknowledgement is empty and Slack shows nothing in between.
func (a *Adapter) commands(w http.ResponseWriter, r *http.Request, body []byte, h bot.Handler) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "bad command", http.StatusBadRequest)
		return
	}
	cmd := slackapi.SlashCommand{
		TeamID: form.Get("team_id"), ChannelID: form.Get("channel_id"), UserID: form.Get("user_id"),
		Command: form.Get("command"), Text: form.Get("text"), TriggerID: form.Get("trigger_id"),
	}
	ack(w, a.command(r.Context(), cmd, h))
}
