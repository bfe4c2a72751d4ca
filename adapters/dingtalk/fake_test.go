package dingtalk

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/dialog"
	"github.com/perfbot/perfbot/internal/dialog/memory"
)

const (
	testCorp   = "dingcorp1"
	testClient = "dingappkey"
	testSecret = "app-secret-never-logged"
)

// sent is one message the fake DingTalk received: a robot message, or an
// interactive card (MsgKey "StandardCard", Card its id and data).
type sent struct {
	Path    string
	UserIDs []string
	Group   string
	MsgKey  string
	Param   map[string]string
	CardID  string
	Card    *fakeCard
}

// fakeCard is a StandardCard's cardData as the fake reads it.
type fakeCard struct {
	Config struct {
		AutoLayout bool `json:"autoLayout"`
	} `json:"config"`
	Header struct {
		Title struct{ Type, Text string } `json:"title"`
	} `json:"header"`
	Contents []struct {
		Type, Text, ID string
		Actions        []struct {
			Type       string
			Label      struct{ Type, Text string }
			ActionType string
			Status     string
			ID         string
		}
	} `json:"contents"`
}

// text is the card's markdown.
func (c *fakeCard) text() string {
	var parts []string
	for _, x := range c.Contents {
		if x.Type == "markdown" {
			parts = append(parts, x.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// buttons maps the card's button labels to their ids.
func (c *fakeCard) buttons() map[string]string {
	out := map[string]string{}
	for _, x := range c.Contents {
		for _, b := range x.Actions {
			out[b.Label.Text] = b.ID
		}
	}
	return out
}

// fakeDingTalk is DingTalk's API on 127.0.0.1: token, robot sends, file
// download and the directory. Knobs let a test script refusals.
type fakeDingTalk struct {
	t   *testing.T
	srv *httptest.Server

	mu          sync.Mutex
	sent        []sent
	tokens      int      // tokens issued
	expireIn    int      // seconds, for tokens issued
	rateLimit   int      // answer the next N sends with 429
	flowControl []string // user ids flow-controlled once
	invalid     []string // user ids always invalid
	revoke      bool     // refuse the current token once
	refuseAuth  bool     // refuse every token
	down        int      // answer the next N sends with 503
	token       string
	batchSizes  []int
	users       []map[string]any
	managers    map[string]string
	cards       map[string]*fakeCard // by cardBizId, as last sent or updated
	updates     []string             // cardBizIds updated, in order
	media       map[string][]byte    // uploaded images by media id
	uploadLimit int                  // answer the next N uploads with errcode 90018
}

func newFake(t *testing.T) *fakeDingTalk {
	f := &fakeDingTalk{t: t, expireIn: 7200, managers: map[string]string{}, cards: map[string]*fakeCard{}, media: map[string][]byte{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /media/upload", f.mediaUpload)
	mux.HandleFunc("POST /v1.0/oauth2/accessToken", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ AppKey, AppSecret string }
		require.NoError(t, json.NewDecoder(r.Body).Decode(&in))
		if in.AppKey != testClient || in.AppSecret != testSecret {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.tokens++
		f.token = fmt.Sprintf("tok%d", f.tokens)
		out := map[string]any{"accessToken": f.token, "expireIn": f.expireIn}
		f.mu.Unlock()
		json.NewEncoder(w).Encode(out)
	})
	mux.HandleFunc("POST /v1.0/robot/oToMessages/batchSend", f.robotSend)
	mux.HandleFunc("POST /v1.0/robot/groupMessages/send", f.robotSend)
	mux.HandleFunc("POST /v1.0/im/v1.0/robot/interactiveCards/send", f.cardSend)
	mux.HandleFunc("PUT /v1.0/im/robots/interactiveCards", f.cardUpdate)
	mux.HandleFunc("POST /v1.0/robot/messageFiles/download", func(w http.ResponseWriter, r *http.Request) {
		if !f.authorized(w, r) {
			return
		}
		var in struct{ DownloadCode, RobotCode string }
		require.NoError(t, json.NewDecoder(r.Body).Decode(&in))
		if in.DownloadCode != "code-ok" || in.RobotCode != testClient {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"code":"invalidParameter","message":"bad download code"}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"downloadUrl": f.srv.URL + "/files/voice.amr?sig=x"})
	})
	mux.HandleFunc("GET /files/voice.amr", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "audio/amr")
		io.WriteString(w, "#!AMR\nfake-audio")
	})
	mux.HandleFunc("POST /topapi/v2/department/listsub", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			DeptID int64 `json:"dept_id"`
		}
		json.NewDecoder(r.Body).Decode(&in)
		result := []map[string]any{}
		if in.DeptID == 1 {
			result = append(result, map[string]any{"dept_id": 2, "name": "研发 Engineering", "parent_id": 1})
		}
		f.oapiResult(w, r, result)
	})
	mux.HandleFunc("POST /topapi/v2/user/list", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			DeptID int64 `json:"dept_id"`
			Cursor int   `json:"cursor"`
		}
		json.NewDecoder(r.Body).Decode(&in)
		var list []map[string]any
		for _, u := range f.users {
			for _, d := range u["dept_id_list"].([]int64) {
				if d == in.DeptID {
					list = append(list, u)
				}
			}
		}
		// One user a page, so the cursor is exercised.
		page := map[string]any{"has_more": in.Cursor+1 < len(list), "next_cursor": in.Cursor + 1, "list": list[min(in.Cursor, len(list)):min(in.Cursor+1, len(list))]}
		f.oapiResult(w, r, page)
	})
	mux.HandleFunc("POST /topapi/v2/user/get", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ UserID string }
		json.NewDecoder(r.Body).Decode(&in)
		f.oapiResult(w, r, map[string]any{"userid": in.UserID, "manager_userid": f.managers[in.UserID]})
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeDingTalk) authorized(w http.ResponseWriter, r *http.Request) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.revoke || f.refuseAuth || r.Header.Get("x-acs-dingtalk-access-token") != f.token {
		f.revoke = false
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"code":"InvalidAuthentication","message":"不合法的access_token"}`)
		return false
	}
	return true
}

func (f *fakeDingTalk) oapiResult(w http.ResponseWriter, r *http.Request, result any) {
	f.mu.Lock()
	ok := r.URL.Query().Get("access_token") == f.token
	f.mu.Unlock()
	if !ok {
		json.NewEncoder(w).Encode(map[string]any{"errcode": 40014, "errmsg": "invalid access_token"})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"errcode": 0, "errmsg": "ok", "result": result})
}

func (f *fakeDingTalk) robotSend(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(w, r) {
		return
	}
	var in struct {
		RobotCode          string
		UserIDs            []string `json:"userIds"`
		OpenConversationID string   `json:"openConversationId"`
		MsgKey             string
		MsgParam           string
	}
	require.NoError(f.t, json.NewDecoder(r.Body).Decode(&in))
	require.Equal(f.t, testClient, in.RobotCode)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refused(w) {
		return
	}
	if len(in.UserIDs) > 20 {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"code":"invalidParameter.userIds.exceedLimit","message":"too many"}`)
		return
	}
	f.batchSizes = append(f.batchSizes, len(in.UserIDs))
	var param map[string]string
	require.NoError(f.t, json.Unmarshal([]byte(in.MsgParam), &param))
	if in.MsgKey == "sampleImageMsg" {
		if _, ok := f.media[param["photoURL"]]; !ok {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"code":"invalidParameter.photoURL","message":"no such media"}`)
			return
		}
	}
	out := map[string]any{"processQueryKey": fmt.Sprintf("pqk%d", len(f.sent)+1)}
	var ok, invalid, flow []string
	for _, id := range in.UserIDs {
		switch {
		case contains(f.invalid, id):
			invalid = append(invalid, id)
		case contains(f.flowControl, id):
			flow = append(flow, id)
			f.flowControl = remove(f.flowControl, id)
		default:
			ok = append(ok, id)
		}
	}
	out["invalidStaffIdList"], out["flowControlledStaffIdList"] = invalid, flow
	if len(ok) > 0 || in.OpenConversationID != "" {
		f.sent = append(f.sent, sent{Path: r.URL.Path, UserIDs: ok, Group: in.OpenConversationID, MsgKey: in.MsgKey, Param: param})
	}
	json.NewEncoder(w).Encode(out)
}

// refused answers a send the fake was told to refuse: a rate limit, then
// an outage.
func (f *fakeDingTalk) refused(w http.ResponseWriter) bool {
	switch {
	case f.rateLimit > 0:
		f.rateLimit--
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"code":"Forbidden.AccessDenied.QpsLimitForApi","message":"qps limit"}`)
	case f.down > 0:
		f.down--
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"code":"ServiceUnavailable","message":"the service is busy"}`)
	default:
		return false
	}
	return true
}

// cardSend is robot interactiveCards/send: a StandardCard to one person.
func (f *fakeDingTalk) cardSend(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(w, r) {
		return
	}
	var in struct {
		CardTemplateID     string `json:"cardTemplateId"`
		RobotCode          string `json:"robotCode"`
		CardBizID          string `json:"cardBizId"`
		SingleChatReceiver string `json:"singleChatReceiver"`
		CardData           string `json:"cardData"`
	}
	require.NoError(f.t, json.NewDecoder(r.Body).Decode(&in))
	require.Equal(f.t, "StandardCard", in.CardTemplateID)
	require.Equal(f.t, testClient, in.RobotCode)
	require.NotEmpty(f.t, in.CardBizID)
	require.LessOrEqual(f.t, len(in.CardBizID), 64)
	var receiver struct {
		UserID string `json:"userId"`
	}
	require.NoError(f.t, json.Unmarshal([]byte(in.SingleChatReceiver), &receiver), "singleChatReceiver is a JSON string")
	require.NotEmpty(f.t, receiver.UserID)
	var c fakeCard
	require.NoError(f.t, json.Unmarshal([]byte(in.CardData), &c), "cardData is a JSON string")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refused(w) {
		return
	}
	if contains(f.invalid, receiver.UserID) {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"code":"param.invalid","message":"userId not in corp"}`)
		return
	}
	if _, dup := f.cards[in.CardBizID]; dup {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"code":"cardBizId.duplicate","message":"duplicate cardBizId"}`)
		return
	}
	f.cards[in.CardBizID] = &c
	f.sent = append(f.sent, sent{Path: r.URL.Path, UserIDs: []string{receiver.UserID}, MsgKey: in.CardTemplateID, CardID: in.CardBizID, Card: &c})
	json.NewEncoder(w).Encode(map[string]string{"processQueryKey": fmt.Sprintf("pqk%d", len(f.sent))})
}

// cardUpdate is PUT robots/interactiveCards: the card's new data.
func (f *fakeDingTalk) cardUpdate(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(w, r) {
		return
	}
	var in struct {
		CardBizID string `json:"cardBizId"`
		CardData  string `json:"cardData"`
	}
	require.NoError(f.t, json.NewDecoder(r.Body).Decode(&in))
	var c fakeCard
	require.NoError(f.t, json.Unmarshal([]byte(in.CardData), &c), "cardData is a JSON string")
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.cards[in.CardBizID]; !ok {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"code":"card.notFound","message":"no such card"}`)
		return
	}
	f.cards[in.CardBizID] = &c
	f.updates = append(f.updates, in.CardBizID)
	json.NewEncoder(w).Encode(map[string]string{"processQueryKey": "upd"})
}

// card returns the card with that id as it now stands, and how often it was
// updated.
func (f *fakeDingTalk) card(id string) (*fakeCard, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, u := range f.updates {
		if u == id {
			n++
		}
	}
	return f.cards[id], n
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func remove(s []string, v string) []string {
	var out []string
	for _, x := range s {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

// messages returns what was sent to userID (or a group), oldest first.
func (f *fakeDingTalk) messages(to string) []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []sent
	for _, s := range f.sent {
		if contains(s.UserIDs, to) || s.Group == to {
			out = append(out, s)
		}
	}
	return out
}

func (f *fakeDingTalk) config() Config {
	return Config{
		ClientID: testClient, ClientSecret: testSecret, RobotCode: testClient, Mode: ModeStream, Buttons: ButtonsCard,
		APIBase: f.srv.URL, OAPIBase: f.srv.URL, CorpID: testCorp,
	}
}

var fastRetry = retry{Attempts: 4, Base: time.Millisecond, Max: 5 * time.Millisecond}

// adapter returns an adapter on the fake, with a fresh in-process dialog
// store unless ds is given.
func (f *fakeDingTalk) adapter(cfg Config, clock func() time.Time, ds dialog.Store) *Adapter {
	f.t.Helper()
	if clock == nil {
		clock = time.Now
	}
	if ds == nil {
		ds = memory.New(clock)
		f.t.Cleanup(func() { ds.Close() })
	}
	a, err := New(cfg, Options{Dialog: ds, Clock: clock, retry: fastRetry})
	require.NoError(f.t, err)
	return a
}

// buttons lists a message's buttons: an interactive card's as (label,
// button id), an action card's as (title, the text a click sends).
func buttons(t *testing.T, s sent) map[string]string {
	t.Helper()
	if s.Card != nil {
		return s.Card.buttons()
	}
	out := map[string]string{}
	add := func(title, link string) {
		u, err := url.Parse(link)
		require.NoError(t, err)
		require.Equal(t, "dtmd", u.Scheme)
		out[title] = u.Query().Get("content")
	}
	if s.MsgKey == "sampleActionCard" {
		add(s.Param["singleTitle"], s.Param["singleURL"])
	}
	for i := 1; i <= maxCardButtons; i++ {
		if title, ok := s.Param[fmt.Sprintf("actionTitle%d", i)]; ok {
			add(title, s.Param[fmt.Sprintf("actionURL%d", i)])
		}
	}
	// Overflow buttons are markdown links in the text.
	for _, line := range strings.Split(s.Param["text"], "\n") {
		if i := strings.Index(line, "](dtmd://"); strings.HasPrefix(line, "[") && i > 0 {
			add(strings.ReplaceAll(line[1:i], `\`, ""), strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line[i+2:]), ")")))
		}
	}
	return out
}

// mediaUpload is the old API's media/upload: a multipart "media" file of a
// type, answered with errcode and media_id (not in a result).
func (f *fakeDingTalk) mediaUpload(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	answer := func(code int, msg string) {
		json.NewEncoder(w).Encode(map[string]any{"errcode": code, "errmsg": msg})
	}
	if f.revoke || r.URL.Query().Get("access_token") != f.token {
		f.revoke = false
		answer(40014, "不合法的access_token")
		return
	}
	if f.uploadLimit > 0 {
		f.uploadLimit--
		answer(90018, "请求过于频繁")
		return
	}
	if r.URL.Query().Get("type") != "image" {
		answer(40004, "不合法的媒体文件类型")
		return
	}
	file, hdr, err := r.FormFile("media")
	if err != nil {
		answer(40005, "不合法的文件类型")
		return
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	require.NoError(f.t, err)
	if len(data) > 20<<20 || hdr.Size > 20<<20 {
		answer(40006, "不合法的文件长度")
		return
	}
	id := fmt.Sprintf("@lAmedia%d", len(f.media)+1)
	f.media[id] = data
	json.NewEncoder(w).Encode(map[string]any{"errcode": 0, "errmsg": "ok", "media_id": id, "type": "image", "created_at": 1})
}
