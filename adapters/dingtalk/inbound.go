package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/chatbot"

	"github.com/perfbot/perfbot/bot"
)

// maxAudio bounds a downloaded voice note; DingTalk's are at most 60 s.
const maxAudio = 20 << 20

// audioContent is the content of an audio robot message.
type audioContent struct {
	Duration     float64 `json:"duration"` // milliseconds
	DownloadCode string  `json:"downloadCode"`
	Recognition  string  `json:"recognition"` // DingTalk's own speech recognition
}

// event translates a robot message. Audio is described but not downloaded:
// that is download's job, off the acknowledgement path.
func (a *Adapter) event(m *chatbot.BotCallbackDataModel) bot.Event {
	ev := bot.Event{ID: m.MsgId, From: a.identity(m.SenderStaffId), Kind: bot.KindUnsupported, At: a.now()}
	if m.CreateAt > 0 {
		ev.At = time.UnixMilli(m.CreateAt)
	}
	if m.ConversationType == "2" {
		// The robot only hears a group when @-mentioned; the conversation
		// answers there, pointing to the one-to-one chat.
		ev.Group, ev.Channel = true, m.ConversationId
	}
	switch m.Msgtype {
	case "text":
		ev.Kind, ev.Text = bot.KindMessage, strings.TrimSpace(m.Text.Content)
		if v, ok := clickValue(ev.Text); ok && !ev.Group {
			ev.Kind, ev.Action, ev.Text = bot.KindAction, v, ""
		}
	case "audio":
		var c audioContent
		if raw, err := json.Marshal(m.Content); err == nil && json.Unmarshal(raw, &c) == nil {
			ev.Kind = bot.KindVoice
			ev.Voice = &bot.Voice{
				MediaID: c.DownloadCode, Duration: time.Duration(c.Duration) * time.Millisecond,
				Transcript: strings.TrimSpace(c.Recognition),
			}
		}
	}
	return ev
}

// FetchVoice downloads a voice note's audio into ev (bot.VoiceFetcher):
// messageFiles/download turns the message's downloadCode into a short-lived
// URL. The runtime calls it after DingTalk was acknowledged.
func (a *Adapter) FetchVoice(ctx context.Context, ev *bot.Event) error {
	v := ev.Voice
	if v == nil || v.MediaID == "" || v.Audio != nil {
		return nil
	}
	audio, format, err := a.fetchAudio(ctx, v.MediaID)
	if err != nil {
		return err
	}
	v.Audio, v.Format = audio, format
	return nil
}

func (a *Adapter) fetchAudio(ctx context.Context, code string) ([]byte, string, error) {
	var out struct {
		DownloadURL string `json:"downloadUrl"`
	}
	err := a.api.call(ctx, http.MethodPost, "/v1.0/robot/messageFiles/download",
		map[string]string{"downloadCode": code, "robotCode": a.cfg.RobotCode}, &out)
	if err != nil {
		return nil, "", err
	}
	if out.DownloadURL == "" {
		return nil, "", fmt.Errorf("dingtalk: messageFiles/download: no downloadUrl")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, out.DownloadURL, nil)
	if err != nil {
		return nil, "", err
	}
	resp, err := a.api.http.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("dingtalk: download audio: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("dingtalk: download audio: HTTP %d", resp.StatusCode)
	}
	audio, err := io.ReadAll(io.LimitReader(resp.Body, maxAudio+1))
	if err != nil {
		return nil, "", fmt.Errorf("dingtalk: download audio: %w", err)
	}
	if len(audio) > maxAudio {
		return nil, "", fmt.Errorf("dingtalk: download audio: larger than %d bytes", maxAudio)
	}
	return audio, audioFormat(resp.Header.Get("Content-Type"), req.URL.Path), nil
}

// audioFormat names the audio as the platforms do ("amr", "ogg", ...): from
// its content type, else its file name, else "".
func audioFormat(contentType, urlPath string) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil && strings.HasPrefix(mt, "audio/") {
		f := strings.TrimPrefix(mt, "audio/")
		switch f {
		case "mpeg":
			return "mp3"
		case "mp4", "x-m4a":
			return "m4a"
		}
		return strings.TrimPrefix(f, "x-")
	}
	return strings.TrimPrefix(path.Ext(urlPath), ".")
}

// deliver hands a robot message to h. A message without a staff id (an
// external contact in a group), or of another organisation, is from no one
// perfbot knows, and is acknowledged and dropped.
func (a *Adapter) deliver(ctx context.Context, h bot.Handler, m *chatbot.BotCallbackDataModel) error {
	if m.SenderStaffId == "" {
		a.log.WarnContext(ctx, "robot message without a staff id; ignored", "msg", m.MsgId)
		return nil
	}
	if err := a.sameOrg(m); err != nil {
		a.log.WarnContext(ctx, "robot message ignored", "msg", m.MsgId, "err", err)
		return nil
	}
	return a.handOn(ctx, h, a.event(m))
}

// errOtherOrg is a robot message naming another organisation than
// DINGTALK_CORP_ID.
var errOtherOrg = errors.New("dingtalk: message of another organisation")

// sameOrg refuses a message whose robot (chatbotCorpId) or sender
// (senderCorpId) is of another organisation: its staff id would name
// someone else's employee as one of ours. DingTalk sends both for an
// internal app's robot; a message without them is judged by its signature
// alone.
func (a *Adapter) sameOrg(m *chatbot.BotCallbackDataModel) error {
	for _, corp := range []string{m.ChatbotCorpId, m.SenderCorpId} {
		if corp != "" && corp != a.cfg.CorpID {
			return fmt.Errorf("%w: %q", errOtherOrg, corp)
		}
	}
	return nil
}

// handOn gives ev to h (perfbot's runtime, which keeps it in its durable
// inbox and returns); only then is DingTalk acknowledged. An error means
// the event was not kept: DingTalk is told so, and delivers it again.
func (a *Adapter) handOn(ctx context.Context, h bot.Handler, ev bot.Event) error {
	if err := h.Handle(ctx, ev); err != nil {
		a.metrics.refused.Inc()
		a.log.ErrorContext(ctx, "event not taken in; DingTalk will deliver it again", "event", ev.ID, "kind", ev.Kind, "err", err)
		return err
	}
	return nil
}
