package simulator_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
)

// audioFile is one file in a multipart upload.
type audioFile struct {
	field, name, contentType string
	data                     []byte
}

// upload posts fields and files as multipart/form-data, as the page does.
func upload(t *testing.T, url string, fields map[string]string, files ...audioFile) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		require.NoError(t, mw.WriteField(k, v))
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+f.field+`"; filename="`+f.name+`"`)
		if f.contentType != "" {
			h.Set("Content-Type", f.contentType)
		}
		w, err := mw.CreatePart(h)
		require.NoError(t, err)
		_, err = w.Write(f.data)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	res, err := http.Post(url, mw.FormDataContentType(), &buf)
	require.NoError(t, err)
	defer res.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
	return res.StatusCode, out
}

func TestVoiceNoteBecomesAVoiceEvent(t *testing.T) {
	a := newAdapter(simulator.Options{})
	h := &recorder{}
	srv := serve(t, a, h)
	url := srv.URL + "/api/conversations/alice/voice"
	audio := []byte("\x1aE\xdf\xa3 not really webm")

	status, reply := upload(t, url, map[string]string{"seconds": "12.4"},
		audioFile{"audio", "voice.webm", "audio/webm;codecs=opus", audio})
	require.Equal(t, http.StatusOK, status)

	got := h.Events()
	require.Len(t, got, 1)
	ev := got[0]
	require.Equal(t, reply["event_id"], ev.ID)
	require.Equal(t, bot.KindVoice, ev.Kind)
	require.Equal(t, alice.Identity(), ev.From)
	require.Equal(t, now, ev.At)
	require.NotNil(t, ev.Voice)
	require.Equal(t, audio, ev.Voice.Audio)
	require.Equal(t, "webm", ev.Voice.Format)
	require.Equal(t, 12400*time.Millisecond, ev.Voice.Duration)
	require.NotEmpty(t, ev.Voice.MediaID)

	// A picked file with no extension is known by its type; without a
	// length the transcript says none.
	status, _ = upload(t, url, nil, audioFile{"audio", "memo", "audio/mp4", []byte("....ftypM4A ")})
	require.Equal(t, http.StatusOK, status)
	got = h.Events()
	require.Len(t, got, 2)
	require.Equal(t, "mp4", got[1].Voice.Format)
	require.Zero(t, got[1].Voice.Duration)
	require.NotEqual(t, ev.ID, got[1].ID)
	require.NotEqual(t, ev.Voice.MediaID, got[1].Voice.MediaID)

	transcript := a.DM("alice")
	require.Len(t, transcript, 2)
	require.Equal(t, "alice", transcript[0].From)
	require.Equal(t, simulator.EntryMessage, transcript[0].Kind)
	require.Equal(t, "🎙 Voice note (12 s)", transcript[0].Text)
	require.Equal(t, "🎙 Voice note", transcript[1].Text)
}

func TestVoiceFormats(t *testing.T) {
	a := newAdapter(simulator.Options{})
	h := &recorder{}
	srv := serve(t, a, h)
	for _, tc := range []struct{ name, contentType, want string }{
		{"a.ogg", "", "ogg"},
		{"a.OGA", "", "ogg"},
		{"a.m4a", "audio/mp4", "m4a"}, // the name says more than the type
		{"a.mp4", "", "mp4"},
		{"a.mp3", "", "mp3"},
		{"a.wav", "", "wav"},
		{"a.amr", "", "amr"},
		{"blob", "audio/ogg; codecs=opus", "ogg"},
		{"blob", "audio/mpeg", "mp3"},
		{"blob", "audio/x-wav", "wav"},
		{"blob", "audio/amr", "amr"},
		{"blob", "audio/x-m4a", "m4a"},
		{"a.flac", "application/octet-stream", ""}, // left to the transcriber to tell
	} {
		status, _ := upload(t, srv.URL+"/api/conversations/alice/voice", nil, audioFile{"audio", tc.name, tc.contentType, []byte("x")})
		require.Equal(t, http.StatusOK, status, tc.name)
		got := h.Events()
		require.Equal(t, tc.want, got[len(got)-1].Voice.Format, "%s %s", tc.name, tc.contentType)
	}
}

func TestVoiceTooLargeIs413(t *testing.T) {
	a := newAdapter(simulator.Options{})
	h := &recorder{}
	srv := serve(t, a, h)
	status, reply := upload(t, srv.URL+"/api/conversations/alice/voice", nil,
		audioFile{"audio", "long.webm", "audio/webm", make([]byte, simulator.MaxVoice+1)})
	require.Equal(t, http.StatusRequestEntityTooLarge, status)
	require.NotEmpty(t, reply["error"])
	require.Empty(t, h.Events())
	require.Empty(t, a.DM("alice"))

	// Exactly the limit is fine.
	status, _ = upload(t, srv.URL+"/api/conversations/alice/voice", nil,
		audioFile{"audio", "long.webm", "audio/webm", make([]byte, simulator.MaxVoice)})
	require.Equal(t, http.StatusOK, status)
}

func TestVoiceBadRequests(t *testing.T) {
	a := newAdapter(simulator.Options{})
	h := &recorder{}
	srv := serve(t, a, h)
	url := srv.URL + "/api/conversations/alice/voice"
	webm := audioFile{"audio", "v.webm", "audio/webm", []byte("x")}

	for name, tc := range map[string]struct {
		fields map[string]string
		files  []audioFile
	}{
		"no file":          {map[string]string{"seconds": "3"}, nil},
		"file elsewhere":   {nil, []audioFile{{"file", "v.webm", "audio/webm", []byte("x")}}},
		"empty file":       {nil, []audioFile{{"audio", "v.webm", "audio/webm", nil}}},
		"two files":        {nil, []audioFile{webm, webm}},
		"seconds not a nr": {map[string]string{"seconds": "twelve"}, []audioFile{webm}},
		"negative seconds": {map[string]string{"seconds": "-1"}, []audioFile{webm}},
	} {
		status, reply := upload(t, url, tc.fields, tc.files...)
		require.Equal(t, http.StatusBadRequest, status, name)
		require.NotEmpty(t, reply["error"], name)
	}

	status, _ := post(t, url, map[string]string{"audio": "not multipart"})
	require.Equal(t, http.StatusBadRequest, status)
	status, _ = upload(t, srv.URL+"/api/conversations/mallory/voice", nil, webm)
	require.Equal(t, http.StatusNotFound, status)
	require.Empty(t, h.Events())
	require.Empty(t, a.DM("alice"))
}
