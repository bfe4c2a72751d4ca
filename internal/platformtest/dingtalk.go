package platformtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// The DingTalk app the fake knows.
const (
	DingTalkCorp   = "dingcorp1"
	DingTalkClient = "dingappkey"
	DingTalkSecret = "app-secret-never-logged"
)

// DingTalk's limits on oToMessages/batchSend, as the fake enforces them.
const (
	// DingTalkMaxUsers is how many userIds one batchSend may name.
	DingTalkMaxUsers = 20
	// DingTalkQPS is the per-API rate (the forum's figure for the lowest
	// edition), with bursts of as many calls.
	DingTalkQPS = 20
)

// DingTalk is a fake of DingTalk's API: the access token and the robot's
// batchSend. Over the rate it answers HTTP 429 with the QpsLimit code, as
// DingTalk's API gateway does (without a Retry-After).
type DingTalk struct {
	*server
	calls *bucket
}

// NewDingTalk starts a fake DingTalk; Close it when done.
func NewDingTalk(o Options) *DingTalk {
	mux := http.NewServeMux()
	f := &DingTalk{calls: newBucket(o.now, time.Second/DingTalkQPS, DingTalkQPS)}
	f.server = newServer(o, mux)
	mux.HandleFunc("POST /v1.0/oauth2/accessToken", f.token)
	mux.HandleFunc("POST /v1.0/robot/oToMessages/batchSend", f.batchSend)
	return f
}

// AllowedPerSecond is how many recipients a second DingTalk allows: full
// calls at the per-API rate.
func (f *DingTalk) AllowedPerSecond() float64 { return f.calls.perSecond() * DingTalkMaxUsers }

func (f *DingTalk) token(w http.ResponseWriter, r *http.Request) {
	var in struct{ AppKey, AppSecret string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.AppKey != DingTalkClient || in.AppSecret != DingTalkSecret {
		answer(w, http.StatusBadRequest, map[string]string{"code": "invalidClientIdOrSecret", "message": "bad app key or secret"})
		return
	}
	answer(w, http.StatusOK, map[string]any{"accessToken": "ding-token", "expireIn": 7200})
}

func (f *DingTalk) batchSend(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("x-acs-dingtalk-access-token") != "ding-token" {
		answer(w, http.StatusUnauthorized, map[string]string{"code": "InvalidAuthentication", "message": "bad token"})
		return
	}
	var in struct {
		UserIDs  []string `json:"userIds"`
		MsgParam string   `json:"msgParam"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || len(in.UserIDs) == 0 || len(in.UserIDs) > DingTalkMaxUsers {
		answer(w, http.StatusBadRequest, map[string]string{"code": "invalidParameter",
			"message": fmt.Sprintf("userIds must name 1 to %d users", DingTalkMaxUsers)})
		return
	}
	if ok, _ := f.calls.allow(); !ok {
		f.rec.refuse()
		answer(w, http.StatusTooManyRequests, map[string]string{"code": "Forbidden.AccessDenied.QpsLimitForApi", "message": "qps limit"})
		return
	}
	f.deliver(r.Context(), in.UserIDs, shownBy(in.MsgParam))
	answer(w, http.StatusOK, map[string]any{"processQueryKey": "pqk", "invalidStaffIdList": []string{}, "flowControlledStaffIdList": []string{}})
}

// shownBy is what a robot message's msgParam shows: its title and text,
// without its buttons' links, which carry sealed values.
func shownBy(msgParam string) string {
	var p struct{ Title, Text, Content string }
	_ = json.Unmarshal([]byte(msgParam), &p)
	return p.Title + "\n" + p.Text + p.Content
}
