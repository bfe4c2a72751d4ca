package slack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/perfbot/perfbot/bot"
)

// Audio downloads: files bigger than DefaultMaxAudio are handed on without
// their audio (the engine tells the person), and a download may take
// audioTimeout at most.
const (
	DefaultMaxAudio = 25 << 20
	audioTimeout    = 2 * time.Minute
)

// sharedFile is a file object of a message. slack-go's File lacks the
// subtype, which tells a recorded clip ("slack_audio") from a video one
// ("slack_video").
type sharedFile struct {
	slackapi.File
	Subtype string `json:"subtype"`
}

// clipURL is where a voice clip's audio is, to fetch before handing the
// event on.
type clipURL struct {
	url  string
	size int // as Slack announced it; 0 when unknown
}

// audioClip finds the first audio file among a message's files: anything
// audio/*, and the mp4 or webm that Slack's clip recorder makes unless Slack
// says it is a video.
func audioClip(files []sharedFile) (sharedFile, bool) {
	for _, f := range files {
		mt, _, _ := mime.ParseMediaType(f.Mimetype)
		switch {
		case strings.HasPrefix(mt, "audio/"):
			return f, true
		case mt == "video/mp4" || mt == "video/webm":
			if f.Subtype != "slack_video" && f.MediaDisplayType != "video" {
				return f, true
			}
		}
	}
	return sharedFile{}, false
}

// voiceOf describes a clip; the audio comes later, from download.
func voiceOf(f sharedFile) *bot.Voice {
	v := &bot.Voice{
		MediaID:  f.ID,
		Format:   audioFormat(f),
		Duration: time.Duration(f.DurationMs) * time.Millisecond,
	}
	// Slack's own transcript: undocumented, so taken when it is there. A
	// preview that says there is more is only the start: better none, so
	// the audio is transcribed whole, than half a check-in.
	if t := f.Transcription; t != nil && t.Preview != nil && (t.Preview.HasMore == nil || !*t.Preview.HasMore) {
		v.Transcript = strings.TrimSpace(t.Preview.Content)
	}
	return v
}

// audioFormat names the container as a file extension: Slack's filetype
// ("m4a", "webm", "mp4", ...), else the file name's, else the mimetype's.
func audioFormat(f sharedFile) string {
	if ft := strings.ToLower(f.Filetype); ft != "" && ft != "binary" {
		return ft
	}
	if ext := strings.TrimPrefix(strings.ToLower(path.Ext(f.Name)), "."); ext != "" {
		return ext
	}
	mt, _, _ := mime.ParseMediaType(f.Mimetype)
	_, sub, _ := strings.Cut(mt, "/")
	return strings.TrimPrefix(sub, "x-")
}

// errNotFile is a download that brought back something other than the file:
// Slack answers a request it will not serve with its sign-in page and a 200.
var errNotFile = errors.New("not the file (is the files:read scope granted?)")

// FetchVoice fills in the audio of a voice clip handed on without it
// (bot.VoiceFetcher): the runtime calls it after Slack was acknowledged.
func (a *Adapter) FetchVoice(ctx context.Context, ev *bot.Event) error {
	if ev.Voice == nil || ev.Voice.Source == "" {
		return nil
	}
	audio, err := a.download(ctx, ev.Voice.Source)
	if err != nil {
		return fmt.Errorf("slack: voice clip %s: %w", ev.Voice.MediaID, err)
	}
	if len(audio) > a.maxAudio {
		return fmt.Errorf("slack: voice clip %s is over the size cap of %d bytes", ev.Voice.MediaID, a.maxAudio)
	}
	ev.Voice.Audio = audio
	return nil
}

// download GETs a file Slack holds, with the bot token. The token goes only
// to Slack: to slack.com hosts, or the host of the configured API (a fake,
// in tests); Go's client drops it on a redirect elsewhere.
func (a *Adapter) download(ctx context.Context, raw string) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, errors.New("no usable file URL")
	}
	if !a.trustedHost(u) {
		return nil, fmt.Errorf("file host %q is not Slack's", u.Hostname())
	}
	ctx, cancel := context.WithTimeout(ctx, audioTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+a.cfg.BotToken)
	resp, err := a.http.Do(req)
	if err != nil {
		// The error names the URL, which holds no secret.
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" {
		return nil, errNotFile
	}
	if resp.ContentLength > int64(a.maxAudio) {
		return nil, fmt.Errorf("%d bytes, over the %d byte cap", resp.ContentLength, a.maxAudio)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, int64(a.maxAudio)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > a.maxAudio {
		return nil, fmt.Errorf("over the %d byte cap", a.maxAudio)
	}
	return b, nil
}

// trustedHost reports whether u is on Slack's hosts, or the configured
// API's host.
func (a *Adapter) trustedHost(u *url.URL) bool {
	name := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if name == "slack.com" || strings.HasSuffix(name, ".slack.com") {
		return u.Scheme == "https"
	}
	api, err := url.Parse(a.cfg.APIURL)
	return err == nil && api.Scheme == u.Scheme && strings.EqualFold(api.Host, u.Host)
}
