package simulator

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/perfbot/perfbot/bot"
)

// MaxVoice is the largest voice note the simulator takes, in bytes.
const MaxVoice = 20 << 20

// voiceUpload is what a voice request carries.
type voiceUpload struct {
	voice   bot.Voice
	seconds float64 // as the browser measured it; 0 when it did not say
}

// voice is a persona sending a voice note: a recording from the page's
// microphone button or an audio file they picked, as multipart/form-data
// with the audio in the field "audio" and, optionally, its length in
// seconds in "seconds".
func (s *server) voice(w http.ResponseWriter, r *http.Request) {
	p, ok := s.persona(w, r, r.PathValue("persona"))
	if !ok {
		return
	}
	up, status, err := readVoice(w, r)
	if err != nil {
		s.fail(w, r, status, err)
		return
	}
	now := s.a.clock()
	text := "🎙 Voice note"
	if up.seconds > 0 {
		text += fmt.Sprintf(" (%d s)", max(1, int(math.Round(up.seconds))))
	}
	own := s.a.board.add(conversationByID(dmID(p.ID)), Entry{
		Ref: newRef(), Kind: EntryMessage, From: p.ID, Text: text, At: now,
	})
	v := up.voice
	s.deliver(w, r, own.Ref, bot.Event{
		ID:    newEventID(),
		From:  p.Identity(),
		Kind:  bot.KindVoice,
		Voice: &v,
		At:    now,
	})
}

// readVoice reads a voice request's multipart body as it streams in, so a
// large upload is never held twice and nothing spills to disk. It returns
// the status to answer with when the request is refused.
func readVoice(w http.ResponseWriter, r *http.Request) (voiceUpload, int, error) {
	// Room for the multipart framing and the small fields beside the audio.
	r.Body = http.MaxBytesReader(w, r.Body, MaxVoice+maxBody)
	mr, err := r.MultipartReader()
	if err != nil {
		return voiceUpload{}, http.StatusBadRequest, fmt.Errorf("not a multipart form: %w", err)
	}
	var (
		up       voiceUpload
		hasAudio bool
	)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return voiceUpload{}, readStatus(err), fmt.Errorf("read form: %w", err)
		}
		switch part.FormName() {
		case "audio":
			if hasAudio {
				return voiceUpload{}, http.StatusBadRequest, errors.New("more than one audio field")
			}
			hasAudio = true
			audio, err := io.ReadAll(io.LimitReader(part, MaxVoice+1))
			if err != nil {
				return voiceUpload{}, readStatus(err), fmt.Errorf("read audio: %w", err)
			}
			if len(audio) > MaxVoice {
				return voiceUpload{}, http.StatusRequestEntityTooLarge, fmt.Errorf("audio is over %d bytes", MaxVoice)
			}
			up.voice.Audio = audio
			up.voice.Format = voiceFormat(part.FileName(), part.Header.Get("Content-Type"))
		case "seconds":
			raw, err := io.ReadAll(io.LimitReader(part, 32))
			if err != nil {
				return voiceUpload{}, readStatus(err), fmt.Errorf("read seconds: %w", err)
			}
			n, err := strconv.ParseFloat(strings.TrimSpace(string(raw)), 64)
			// A day is far beyond any voice note; it also keeps the
			// Duration below from overflowing.
			if err != nil || n < 0 || n > 24*60*60 {
				return voiceUpload{}, http.StatusBadRequest, fmt.Errorf("seconds %q is not a length", raw)
			}
			up.seconds = n
		}
		// Other fields are not the simulator's; NextPart skips what is left.
	}
	if len(up.voice.Audio) == 0 {
		return voiceUpload{}, http.StatusBadRequest, errors.New("no audio: send the file in the field \"audio\"")
	}
	up.voice.MediaID = "voice-" + rand.Text()
	up.voice.Duration = time.Duration(up.seconds * float64(time.Second))
	return up, 0, nil
}

// readStatus is the status for a body that could not be read: too large,
// or malformed.
func readStatus(err error) int {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

// voiceFormat names an upload's container as platforms do ("webm", "ogg",
// "m4a", "mp4", "mp3", "wav", "amr"), by the file's extension, else by its
// content type; "" when neither says, which leaves the transcriber to tell
// from the bytes.
func voiceFormat(fileName, contentType string) string {
	switch strings.ToLower(strings.TrimPrefix(path.Ext(fileName), ".")) {
	case "webm", "weba":
		return "webm"
	case "ogg", "oga", "opus":
		return "ogg"
	case "m4a":
		return "m4a"
	case "mp4":
		return "mp4"
	case "mp3":
		return "mp3"
	case "wav":
		return "wav"
	case "amr":
		return "amr"
	}
	media, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	switch media {
	case "audio/webm", "video/webm":
		return "webm"
	case "audio/ogg", "audio/opus", "application/ogg":
		return "ogg"
	case "audio/x-m4a", "audio/m4a":
		return "m4a"
	case "audio/mp4", "video/mp4":
		return "mp4"
	case "audio/mpeg", "audio/mp3":
		return "mp3"
	case "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave":
		return "wav"
	case "audio/amr":
		return "amr"
	}
	return ""
}
