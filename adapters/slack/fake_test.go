package slack_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slacktest"
	"github.com/stretchr/testify/require"
)

// fakeSlack is slacktest's server with the Web API methods perfbot uses and
// slacktest lacks (chat.update, conversations.open, users.list, views.open,
// and file downloads), and a chat.postMessage that keeps what it received.
// It can answer 429s and errors on demand.
type fakeSlack struct {
	*slacktest.Server
	mu      sync.Mutex
	seq     int
	posts   []post              // every chat.postMessage and chat.update, in order
	opens   int                 // conversations.open calls
	limited map[string]int      // method -> 429s still to answer
	down    map[string]int      // method -> 503s still to answer
	failing map[string]string   // method -> Slack error to answer every time
	pages   [][]slackapi.User   // users.list pages
	calls   map[string]int      // method -> calls answered, 429s included
	asks    map[string][]string // method -> the channels chat calls named
	current map[string]*post    // "channel/ts" -> the message as it now reads
	byChan  map[string][]*post  // channel -> messages posted in it
	views   []openedView        // every views.open, in order
	files   map[string][]byte   // URL path -> a file's bytes, served to the bot token only
	// byUserID false makes chat.postMessage refuse a user id as its
	// channel (channel_not_found), as some workspaces do; gone are users
	// that do not exist; tabOff are users whose Messages tab with the app
	// is disabled.
	byUserID bool
	gone     map[string]bool
	tabOff   map[string]bool
	fetches  []fetch // every file download asked for
	// uploads are the external uploads by file id: announced by
	// files.getUploadURLExternal, their bytes POSTed to the upload URL,
	// then shared by files.completeUploadExternal.
	uploads map[string]*upload
	// Socket Mode: envelopes to push to the connected app, and the
	// envelope ids it acknowledged.
	envelopes chan string
	acks      chan string
}

// post is a message as Slack received it.
type post struct {
	Method  string
	Asked   string // the channel as the call named it
	Channel string // the channel it is in
	TS      string
	Text    string
	Blocks  string // the blocks JSON, as sent
}

// upload is one external file upload as Slack saw it.
type upload struct {
	ID, Name, Alt string
	Length        int
	Bytes         []byte // nil until POSTed
	Channel       string // where it was shared, "" until completed
	Title         string
}

// openedView is a views.open as Slack received it.
type openedView struct {
	TriggerID string          `json:"trigger_id"`
	View      json.RawMessage `json:"view"`
}

// fetch is a file download as Slack's file server saw it.
type fetch struct {
	Path, Authorization string
}

// button is one button of a message, as a person sees it.
type button struct {
	Label, Value, ActionID, BlockID string
}

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{
		limited: map[string]int{}, down: map[string]int{}, failing: map[string]string{}, calls: map[string]int{}, asks: map[string][]string{},
		current: map[string]*post{}, byChan: map[string][]*post{}, files: map[string][]byte{}, uploads: map[string]*upload{},
		byUserID: true, gone: map[string]bool{}, tabOff: map[string]bool{},
		envelopes: make(chan string, 16), acks: make(chan string, 16),
	}
	f.Server = slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/chat.postMessage", f.chat("chat.postMessage"))
		c.Handle("/chat.update", f.chat("chat.update"))
		c.Handle("/conversations.open", f.open)
		c.Handle("/users.list", f.usersList)
		c.Handle("/views.open", f.viewsOpen)
		c.Handle("/files-pri/", f.file)
		c.Handle("/files.getUploadURLExternal", f.uploadURL)
		c.Handle("/upload/", f.uploadBytes)
		c.Handle("/files.completeUploadExternal", f.completeUpload)
		c.Handle("/apps.connections.open", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, map[string]any{"ok": true, "url": "ws://" + f.ServerAddr + "/socket"})
		})
		c.Handle("/socket", f.socket)
	})
	f.Start()
	t.Cleanup(f.Stop)
	return f
}

// refuse answers the next n calls of method with 429 Retry-After: seconds.
func (f *fakeSlack) refuse(method string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limited[method] = n
}

// outage answers the next n calls of method with 503 Service Unavailable.
func (f *fakeSlack) outage(method string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down[method] = n
}

// fail answers every call of method with Slack's error reason.
func (f *fakeSlack) fail(method, reason string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failing[method] = reason
}

// gate counts a call and answers it with a 429 or an error when told to.
func (f *fakeSlack) gate(w http.ResponseWriter, method string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[method]++
	if f.limited[method] > 0 {
		f.limited[method]--
		w.Header().Set("Retry-After", "3")
		w.WriteHeader(http.StatusTooManyRequests)
		return false
	}
	if f.down[method] > 0 {
		f.down[method]--
		w.WriteHeader(http.StatusServiceUnavailable)
		return false
	}
	if reason := f.failing[method]; reason != "" {
		writeJSON(w, map[string]any{"ok": false, "error": reason})
		return false
	}
	return true
}

func (f *fakeSlack) chat(method string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !f.gate(w, method) {
			return
		}
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.asks[method] = append(f.asks[method], r.Form.Get("channel"))
		f.mu.Unlock()
		p := post{Method: method, Asked: r.Form.Get("channel"), Channel: r.Form.Get("channel"), TS: r.Form.Get("ts"),
			Text: r.Form.Get("text"), Blocks: r.Form.Get("blocks")}
		f.mu.Lock()
		defer f.mu.Unlock()
		if method == "chat.postMessage" {
			if reason := f.refusal(p.Channel); reason != "" {
				writeJSON(w, map[string]any{"ok": false, "error": reason})
				return
			}
			if strings.HasPrefix(p.Channel, "U") {
				p.Channel = "D" + p.Channel // Slack opens the direct conversation
			}
			f.seq++
			p.TS = fmt.Sprintf("1795766400.%06d", f.seq)
		} else if _, ok := f.current[p.Channel+"/"+p.TS]; !ok {
			writeJSON(w, map[string]any{"ok": false, "error": "message_not_found"})
			return
		}
		f.posts = append(f.posts, p)
		cur := p
		f.current[p.Channel+"/"+p.TS] = &cur
		if method == "chat.postMessage" {
			f.byChan[p.Channel] = append(f.byChan[p.Channel], &cur)
		} else {
			for i, q := range f.byChan[p.Channel] {
				if q.TS == p.TS {
					f.byChan[p.Channel][i] = &cur
				}
			}
		}
		writeJSON(w, map[string]any{"ok": true, "channel": p.Channel, "ts": p.TS, "text": p.Text})
	}
}

// refusal is the error chat.postMessage answers for channel, if any: a
// user id where the workspace does not take one or the user does not exist,
// and a user whose Messages tab is off. Call with f.mu held.
func (f *fakeSlack) refusal(channel string) string {
	user, isUser := strings.CutPrefix(channel, "U")
	if !isUser {
		user, _ = strings.CutPrefix(channel, "DU")
	}
	switch user = "U" + user; {
	case isUser && (!f.byUserID || f.gone[user]):
		return "channel_not_found"
	case f.tabOff[user]:
		return "messages_tab_disabled"
	}
	return ""
}

func (f *fakeSlack) open(w http.ResponseWriter, r *http.Request) {
	if !f.gate(w, "conversations.open") {
		return
	}
	_ = r.ParseForm()
	f.mu.Lock()
	f.opens++
	gone := f.gone[r.Form.Get("users")]
	f.mu.Unlock()
	if gone {
		writeJSON(w, map[string]any{"ok": false, "error": "user_not_found"})
		return
	}
	writeJSON(w, map[string]any{"ok": true, "channel": map[string]any{"id": "D" + r.Form.Get("users")}})
}

func (f *fakeSlack) viewsOpen(w http.ResponseWriter, r *http.Request) {
	if !f.gate(w, "views.open") {
		return
	}
	var v openedView
	if err := json.NewDecoder(r.Body).Decode(&v); err != nil || v.TriggerID == "" {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	}
	f.mu.Lock()
	f.views = append(f.views, v)
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "view": map[string]any{"id": "V0FORM", "hash": "1.abc"}})
}

// opened returns the views.open calls received.
func (f *fakeSlack) opened() []openedView {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]openedView(nil), f.views...)
}

// serve makes a file downloadable at path, and returns its URL.
func (f *fakeSlack) serve(path string, b []byte) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[path] = b
	return "http://" + f.ServerAddr + path
}

// file is Slack's file server: the file to the bot token, and to anyone
// else the sign-in page with a 200, as Slack does.
func (f *fakeSlack) file(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.fetches = append(f.fetches, fetch{Path: r.URL.Path, Authorization: r.Header.Get("Authorization")})
	b, ok := f.files[r.URL.Path]
	f.mu.Unlock()
	switch {
	case r.Header.Get("Authorization") != "Bearer xoxb-test":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<html>Sign in to Slack</html>"))
	case !ok:
		http.NotFound(w, r)
	default:
		w.Header().Set("Content-Type", "audio/mp4")
		_, _ = w.Write(b)
	}
}

// downloads returns the file downloads asked for.
func (f *fakeSlack) downloads() []fetch {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fetch(nil), f.fetches...)
}

func (f *fakeSlack) usersList(w http.ResponseWriter, r *http.Request) {
	if !f.gate(w, "users.list") {
		return
	}
	_ = r.ParseForm()
	f.mu.Lock()
	defer f.mu.Unlock()
	page := 0
	if c := r.Form.Get("cursor"); c != "" {
		fmt.Sscanf(c, "page%d", &page)
	}
	next := ""
	if page+1 < len(f.pages) {
		next = fmt.Sprintf("page%d", page+1)
	}
	var members []slackapi.User
	if page < len(f.pages) {
		members = f.pages[page]
	}
	writeJSON(w, map[string]any{"ok": true, "members": members, "response_metadata": map[string]any{"next_cursor": next}})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// messages returns the messages in channel as they now read, oldest first.
func (f *fakeSlack) messages(channel string) []post {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []post
	for _, p := range f.byChan[channel] {
		out = append(out, *p)
	}
	return out
}

// received counts the chat calls perfbot made to channel.
func (f *fakeSlack) received(channel string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, p := range f.posts {
		if p.Channel == channel {
			n++
		}
	}
	return n
}

// asked returns the channels the chat calls of method named, in order,
// refused ones included.
func (f *fakeSlack) asked(method string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.asks[method]...)
}

func (f *fakeSlack) called(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

// last returns the newest message in channel.
func (f *fakeSlack) last(t *testing.T, channel string) post {
	t.Helper()
	ms := f.messages(channel)
	require.NotEmpty(t, ms, "nothing was posted in %s", channel)
	return ms[len(ms)-1]
}

// buttons reads the buttons of a message's blocks.
func (p post) buttons(t *testing.T) []button {
	t.Helper()
	var blocks slackapi.Blocks
	require.NoError(t, json.Unmarshal([]byte(p.Blocks), &blocks))
	var out []button
	for _, b := range blocks.BlockSet {
		ab, ok := b.(*slackapi.ActionBlock)
		if !ok {
			continue
		}
		for _, el := range ab.Elements.ElementSet {
			if btn, ok := el.(*slackapi.ButtonBlockElement); ok {
				out = append(out, button{Label: btn.Text.Text, Value: btn.Value, ActionID: btn.ActionID, BlockID: ab.BlockID})
			}
		}
	}
	return out
}

// button finds the button whose label starts with label.
func (p post) button(t *testing.T, label string) button {
	t.Helper()
	bs := p.buttons(t)
	for _, b := range bs {
		if strings.HasPrefix(b.Label, label) {
			return b
		}
	}
	require.Failf(t, "no such button", "%q not among %v in %s", label, bs, p.Blocks)
	return button{}
}

// blocks returns the message's blocks JSON without Go's HTML escaping, so
// tests read what Slack would render: &amp; is Slack's escape, not JSON's.
func (p post) blocks(t *testing.T) string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(p.Blocks), &v))
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	return b.String()
}

// socket is Slack's end of a Socket Mode connection: hello, then the
// envelopes pushed, while it collects the app's acknowledgements.
func (f *fakeSlack) socket(w http.ResponseWriter, r *http.Request) {
	conn, err := (&websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	if conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"hello","num_connections":1}`)) != nil {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			var ack struct {
				EnvelopeID string `json:"envelope_id"`
			}
			if conn.ReadJSON(&ack) != nil {
				return
			}
			f.acks <- ack.EnvelopeID
		}
	}()
	for {
		select {
		case env := <-f.envelopes:
			if conn.WriteMessage(websocket.TextMessage, []byte(env)) != nil {
				return
			}
		case <-done:
			return
		case <-r.Context().Done():
			return
		}
	}
}

// botToken reports whether r carries the bot token, in the form (Web API
// methods) or as a bearer (the upload POST).
func botToken(r *http.Request) bool {
	return r.Header.Get("Authorization") == "Bearer xoxb-test" || r.FormValue("token") == "xoxb-test"
}

// uploadURL is files.getUploadURLExternal: it announces a file of a name
// and length, and answers where to POST it, on this server.
func (f *fakeSlack) uploadURL(w http.ResponseWriter, r *http.Request) {
	if !f.gate(w, "files.getUploadURLExternal") {
		return
	}
	_ = r.ParseForm()
	if !botToken(r) {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	n, err := strconv.Atoi(r.Form.Get("length"))
	switch {
	case r.Form.Get("filename") == "" || err != nil || n <= 0:
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	case n > 1<<30:
		writeJSON(w, map[string]any{"ok": false, "error": "file_too_large"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	id := fmt.Sprintf("F%06d", len(f.uploads)+1)
	f.uploads[id] = &upload{ID: id, Name: r.Form.Get("filename"), Alt: r.Form.Get("alt_txt"), Length: n}
	writeJSON(w, map[string]any{"ok": true, "file_id": id, "upload_url": "http://" + f.ServerAddr + "/upload/" + id})
}

// uploadBytes takes the file POSTed to an upload URL, multipart field
// "file", with the bot token; Slack answers a plain "OK".
func (f *fakeSlack) uploadBytes(w http.ResponseWriter, r *http.Request) {
	if !f.gate(w, "files.upload") {
		return
	}
	if r.Header.Get("Authorization") != "Bearer xoxb-test" {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		http.Error(w, "no file", http.StatusBadRequest)
		return
	}
	defer file.Close()
	b, err := io.ReadAll(file)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	u, ok := f.uploads[strings.TrimPrefix(r.URL.Path, "/upload/")]
	if !ok || len(b) != u.Length {
		http.Error(w, "not the file announced", http.StatusBadRequest)
		return
	}
	u.Bytes = b
	fmt.Fprintf(w, "OK - %d", len(b))
}

// completeUpload is files.completeUploadExternal: it shares uploaded files
// into a conversation (a channel or D... id, never a user id).
func (f *fakeSlack) completeUpload(w http.ResponseWriter, r *http.Request) {
	if !f.gate(w, "files.completeUploadExternal") {
		return
	}
	_ = r.ParseForm()
	if !botToken(r) {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	var files []struct{ ID, Title string }
	if err := json.Unmarshal([]byte(r.Form.Get("files")), &files); err != nil || len(files) == 0 {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_arguments"})
		return
	}
	ch := r.Form.Get("channel_id")
	if !strings.HasPrefix(ch, "D") && !strings.HasPrefix(ch, "C") {
		writeJSON(w, map[string]any{"ok": false, "error": "channel_not_found"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []map[string]string
	for _, x := range files {
		u, ok := f.uploads[x.ID]
		if !ok || u.Bytes == nil {
			writeJSON(w, map[string]any{"ok": false, "error": "file_not_found"})
			return
		}
		u.Channel, u.Title = ch, x.Title
		out = append(out, map[string]string{"id": u.ID, "title": u.Title})
	}
	writeJSON(w, map[string]any{"ok": true, "files": out})
}

// shared returns the files shared into channel.
func (f *fakeSlack) shared(channel string) []upload {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []upload
	for _, u := range f.uploads {
		if u.Channel == channel {
			out = append(out, *u)
		}
	}
	return out
}
