package slack_test

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/slack"
	"github.com/perfbot/perfbot/bot"
)

// clip is the file object of an audio clip recorded in Slack's mobile app.
func clip(id, url string, size int) map[string]any {
	return map[string]any{
		"id": id, "name": "audio_message.m4a", "title": "audio_message.m4a",
		"mimetype": "audio/mp4", "filetype": "m4a", "subtype": "slack_audio",
		"media_display_type": "audio", "duration_ms": 4200, "size": size,
		"url_private":          url,
		"url_private_download": url + "?download=1",
		"transcription": map[string]any{"status": "complete", "locale": "en-US",
			"preview": map[string]any{"content": "Finished the exporter, blocked on review.", "has_more": false}},
	}
}

// share posts a message.im file_share carrying files, and returns what was
// handed on.
func (r *rig) share(eventID, text string, files ...map[string]any) []bot.Event {
	r.t.Helper()
	before := len(r.rec.Events())
	body, err := json.Marshal(map[string]any{
		"type": "event_callback", "team_id": team, "event_id": eventID, "event_time": r.clock.Now().Unix(),
		"event": map[string]any{"type": "message", "subtype": "file_share", "channel_type": "im",
			"channel": "DUSAM", "user": "USAM", "text": text, "ts": "1795766400.000500", "files": files},
	})
	require.NoError(r.t, err)
	code, _ := r.post("/slack/events", string(body))
	require.Equal(r.t, http.StatusOK, code)
	return r.rec.Events()[before:]
}

// fetched is ev with its audio fetched, as the runtime does after the
// acknowledgement.
func (r *rig) fetched(ev bot.Event) (bot.Event, error) {
	r.t.Helper()
	err := r.ad.FetchVoice(r.t.Context(), &ev)
	return ev, err
}

// An audio clip in a DM is a voice note, handed on with where its audio
// is and Slack's transcript; the audio is fetched with the bot token.
func TestVoiceClip(t *testing.T) {
	r := newRig(t, slack.Options{})
	audio := []byte("\x00\x00\x00\x20ftypM4A fake aac frames")
	url := r.fake.serve("/files-pri/T0PERFBOT-F0CLIP/audio_message.m4a", audio)

	evs := r.share("EvClip1", "", clip("F0CLIP", url, len(audio)))
	require.Len(t, evs, 1)
	require.Nil(t, evs[0].Voice.Audio, "handed on before the download")
	require.Empty(t, r.fake.downloads())
	ev, err := r.fetched(evs[0])
	require.NoError(t, err)
	require.Equal(t, bot.KindVoice, ev.Kind)
	require.Equal(t, "EvClip1", ev.ID)
	require.Equal(t, user("USAM"), ev.From)
	require.Equal(t, &bot.Voice{
		MediaID: "F0CLIP", Format: "m4a", Duration: 4200 * time.Millisecond, Audio: audio,
		Transcript: "Finished the exporter, blocked on review.", Source: url + "?download=1",
	}, ev.Voice)

	got := r.fake.downloads()
	require.Len(t, got, 1)
	require.Equal(t, "Bearer xoxb-test", got[0].Authorization)
	require.NotContains(t, r.logs.String(), "xoxb-test")
}

// A clip whose audio can't be had is handed on all the same, without
// audio: the engine keeps it and tells the person.
func TestVoiceClipWithoutAudio(t *testing.T) {
	var elsewhere atomic.Int32
	other := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			elsewhere.Add(1)
		}
	}))
	for name, tc := range map[string]struct {
		url  func(r *rig) string
		size int
	}{
		"missing": {url: func(r *rig) string { return "http://" + r.fake.ServerAddr + "/files-pri/T0-F0GONE/a.m4a" }},
		"over the cap": {url: func(r *rig) string {
			return r.fake.serve("/files-pri/T0-F0BIG/a.m4a", make([]byte, 2048))
		}},
		"announced over the cap": {size: 1 << 30, url: func(r *rig) string {
			return r.fake.serve("/files-pri/T0-F0HUGE/a.m4a", []byte("x"))
		}},
		"not Slack's host": {url: func(*rig) string { return other.URL + "/files-pri/a.m4a" }},
		"no URL":           {url: func(*rig) string { return "" }},
	} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, slack.Options{MaxAudio: 1024})
			evs := r.share("EvClip2", "", clip("F0CLIP", tc.url(r), tc.size))
			require.Len(t, evs, 1)
			require.Equal(t, bot.KindVoice, evs[0].Kind)
			require.Equal(t, "F0CLIP", evs[0].Voice.MediaID)
			require.Equal(t, "Finished the exporter, blocked on review.", evs[0].Voice.Transcript)
			ev, err := r.fetched(evs[0])
			if evs[0].Voice.Source != "" {
				require.Error(t, err)
			} else {
				require.Contains(t, r.logs.String(), "handed on without audio")
			}
			require.Nil(t, ev.Voice.Audio)
			require.NotContains(t, r.logs.String(), "xoxb-test")
			if err != nil {
				require.NotContains(t, err.Error(), "xoxb-test")
			}
		})
	}
	require.Zero(t, elsewhere.Load(), "the token goes to Slack only")
}

// Slack's sign-in page, which it serves with a 200 when the app may not
// read files, is not taken for audio.
func TestVoiceClipSignInPageIsNotAudio(t *testing.T) {
	r := newRig(t, slack.Options{})
	r.fake.serve("/files-pri/T0-F0CLIP/a.m4a", []byte("audio"))
	// The fake serves files to "xoxb-test" only: another token sees the page.
	ad, err := slack.New(slack.Options{Config: slack.Config{BotToken: "xoxb-other", SigningSecret: secret,
		APIURL: r.fake.GetAPIURL()}, Clock: r.clock.Now, Sleep: r.clock.Sleep})
	require.NoError(t, err)
	rec := &recorder{}
	mux := http.NewServeMux()
	ad.Mount(mux, rec)
	srv := newServer(t, mux)
	body, err := json.Marshal(map[string]any{
		"type": "event_callback", "team_id": team, "event_id": "EvClip3",
		"event": map[string]any{"type": "message", "subtype": "file_share", "channel_type": "im", "channel": "DUSAM",
			"user": "USAM", "ts": "1795766400.000600",
			"files": []any{clip("F0CLIP", "http://"+r.fake.ServerAddr+"/files-pri/T0-F0CLIP/a.m4a", 5)}},
	})
	require.NoError(t, err)
	ts := unix(r.clock.Now())
	require.Equal(t, http.StatusOK, postRaw(t, ad, srv.URL+"/slack/events", ts, slack.Sign(secret, ts, body), string(body)))
	evs := rec.Events()
	require.Len(t, evs, 1)
	require.Equal(t, bot.KindVoice, evs[0].Kind)
	require.Nil(t, evs[0].Voice.Audio)
}

// Which shared files are voice notes.
func TestFileShareKinds(t *testing.T) {
	r := newRig(t, slack.Options{})
	webm := r.fake.serve("/files-pri/T0-F0WEBM/clip.webm", []byte("webm"))
	for name, tc := range map[string]struct {
		file   map[string]any
		text   string
		kind   bot.EventKind
		format string
	}{
		"a picture": {file: map[string]any{"id": "F1", "name": "cat.png", "mimetype": "image/png", "filetype": "png",
			"url_private": webm}, kind: bot.KindUnsupported},
		"a picture with a caption": {file: map[string]any{"id": "F1", "name": "cat.png", "mimetype": "image/png",
			"url_private": webm}, text: "look", kind: bot.KindUnsupported},
		"a video clip": {file: map[string]any{"id": "F2", "mimetype": "video/mp4", "filetype": "mp4",
			"subtype": "slack_video", "media_display_type": "video", "url_private": webm}, kind: bot.KindUnsupported},
		"a desktop audio clip": {file: map[string]any{"id": "F3", "name": "audio_message.webm", "mimetype": "video/webm",
			"filetype": "webm", "url_private": webm}, kind: bot.KindVoice, format: "webm"},
		"an mp3": {file: map[string]any{"id": "F4", "name": "memo.MP3", "mimetype": "audio/mpeg",
			"url_private": webm}, kind: bot.KindVoice, format: "mp3"},
		"a clip with half a transcript": {file: map[string]any{"id": "F5", "mimetype": "audio/webm", "filetype": "webm",
			"url_private": webm, "transcription": map[string]any{"status": "complete",
				"preview": map[string]any{"content": "Finished the", "has_more": true}}}, kind: bot.KindVoice, format: "webm"},
	} {
		t.Run(name, func(t *testing.T) {
			evs := r.share("Ev-"+name, tc.text, tc.file)
			require.Len(t, evs, 1)
			require.Equal(t, tc.kind, evs[0].Kind)
			if tc.kind != bot.KindVoice {
				require.Nil(t, evs[0].Voice)
				return
			}
			require.Equal(t, tc.format, evs[0].Voice.Format)
			ev, err := r.fetched(evs[0])
			require.NoError(t, err)
			require.Equal(t, []byte("webm"), ev.Voice.Audio)
			require.Empty(t, evs[0].Voice.Transcript, "no transcript, or only the start of one")
		})
	}
	require.Len(t, r.fake.downloads(), 3, "only audio is downloaded")
}
