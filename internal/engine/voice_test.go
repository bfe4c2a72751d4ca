package engine_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

// scripted is a transcriber that answers from a script: the real pipeline
// has its own tests (internal/voice); here what matters is what the engine
// does with each kind of answer.
type scripted struct {
	mu      sync.Mutex
	answers []error
	seen    []store.VoiceNote
}

func (s *scripted) Process(_ context.Context, n store.VoiceNote, _ string) (string, store.VoiceSummary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, n)
	if len(s.answers) > 0 {
		err := s.answers[0]
		s.answers = s.answers[1:]
		if err != nil {
			return "", store.VoiceSummary{}, err
		}
	}
	if n.Kind == store.VoiceCheckin {
		return "I finished the importer and I'm blocked on keys", store.VoiceSummary{Done: "finished the importer", Blockers: "keys"}, nil
	}
	return "we closed acme", store.VoiceSummary{Win: "closed Acme"}, nil
}

func voiceFixture(t *testing.T, b enginetest.Backend, v *scripted) *fixture {
	return newFixture(t, b, func(o *engine.Options) { o.Voice = v })
}

func (f *fixture) voice(who string, audio []byte) {
	f.t.Helper()
	ev := f.event(who, bot.Event{Kind: bot.KindVoice, Voice: &bot.Voice{MediaID: "m1", Format: "amr", Audio: audio}})
	require.NoError(f.t, f.Engine.Handle(context.Background(), ev))
}

func (f *fixture) notes(who string) []store.VoiceNote {
	f.t.Helper()
	ns, err := f.Store.VoiceNotes(context.Background(), store.System, f.people[who].ID)
	require.NoError(f.t, err)
	return ns
}

func TestVoiceNoteFillsTheCheckin(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) { testVoiceNoteFillsTheCheckin(t, voiceFixture(t, b, &scripted{})) })
	}
}

func testVoiceNoteFillsTheCheckin(t *testing.T, f *fixture) {
	ctx := context.Background()
	_, err := f.Engine.Open(ctx, f.people["anna"].ID, "")
	require.NoError(t, err)
	f.click("anna", "Start")

	f.voice("anna", []byte("#!AMR\n..."))
	require.Contains(t, f.last("anna").Text, "Got your voice note")
	notes := f.notes("anna")
	require.Len(t, notes, 1)
	require.Equal(t, store.VoiceCheckin, notes[0].Kind)
	require.Equal(t, store.VoicePending, notes[0].Status)

	n, err := f.Engine.TranscribeDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, "Here's what I heard", f.last("anna").Title, f.transcript("anna"))
	require.Empty(t, f.round("anna").Answers, "nothing saved before Confirm")

	f.click("anna", "Confirm")
	r := f.round("anna")
	require.Equal(t, "finished the importer", r.Answer(store.QuestionDone))
	require.Equal(t, "keys", r.Answer(store.QuestionBlockers))
	require.Contains(t, f.last("anna").Text, "(3/4) What is your plan for next week?")

	require.NoError(t, f.Engine.PurgeVoice(ctx))
	notes = f.notes("anna")
	require.Equal(t, store.VoiceConfirmed, notes[0].Status)
	require.Nil(t, notes[0].Audio, "the audio goes once the summary is confirmed")
	require.Equal(t, "I finished the importer and I'm blocked on keys", notes[0].Transcript, "the transcript stays")
}

func TestVoiceNoteOutsideACheckinGoesToTheManager(t *testing.T) {
	f := voiceFixture(t, enginetest.Scaled, &scripted{})
	ctx := context.Background()
	f.voice("anna", []byte("audio"))
	_, err := f.Engine.TranscribeDue(ctx)
	require.NoError(t, err)
	require.Equal(t, "Your weekly 3x3 note", f.last("anna").Title)
	f.click("anna", "Confirm")
	require.Equal(t, "Anna 的每周 3x3 小结", f.last("li.wei").Title)
	require.Equal(t, "closed Acme", f.last("li.wei").Fields[0].Value)
}

func TestVoiceNoteProviderFailures(t *testing.T) {
	busy := errors.New("provider: 503")
	v := &scripted{answers: []error{busy, busy, busy}}
	f := voiceFixture(t, enginetest.Embedded, v)
	ctx := context.Background()
	f.voice("anna", []byte("audio"))
	for range 2 {
		n, err := f.Engine.TranscribeDue(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "retried quietly")
		require.Equal(t, store.VoicePending, f.notes("anna")[0].Status)
	}
	n, err := f.Engine.TranscribeDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	note := f.notes("anna")[0]
	require.Equal(t, store.VoiceFailed, note.Status)
	require.Equal(t, 3, note.Attempts)
	require.Equal(t, []byte("audio"), note.Audio, "kept, so nothing is lost")
	require.Contains(t, f.last("anna").Text, "couldn't transcribe your voice note")

	f.voice("anna", []byte("six minutes of audio"))
	v.answers = []error{&engine.VoiceFailure{Code: "too_long"}}
	_, err = f.Engine.TranscribeDue(ctx)
	require.NoError(t, err)
	require.Contains(t, f.last("anna").Text, "too long for me")
	require.Len(t, v.seen, 4, "a final failure is not retried")
}
