package voice

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPipelineFallsBack uses the platform's transcript (DingTalk's
// recognition), a broken LLM and the offline summariser behind it.
func TestPipelineFallsBack(t *testing.T) {
	requireTools(t, "ffmpeg", "espeak-ng")
	dir := t.TempDir()
	amr := toAMR(t, speak(t, dir, "Done."))
	api := newFakeAPI(t, status(http.StatusInternalServerError))
	cfg := DefaultConfig()
	cfg.LLMURL, cfg.LLMKey = api.URL+"/v1", secretKey
	p := New(cfg, WithClock(newFakeClock()))

	res, err := p.Process(context.Background(), Audio{
		Data:               amr,
		Format:             "amr",
		PlatformTranscript: "这周完成了账单迁移。下周准备做报表。",
	}, CheckIn)
	require.NoError(t, err)
	require.Equal(t, "platform", res.Transcriber)
	require.Equal(t, "zh-CN", res.Transcript.Language)
	require.Equal(t, "offline", res.Summariser)
	require.Len(t, res.Failed, 1)
	require.Equal(t, "llm:"+DefaultLLMModel, res.Failed[0].Provider)
	require.Equal(t, "这周完成了账单迁移。", res.Summary.Done)
	require.Equal(t, "下周准备做报表。", res.Summary.Next)

	_, err = New(DefaultConfig()).Process(context.Background(), Audio{Data: amr, Format: "amr"}, CheckIn)
	require.ErrorIs(t, err, ErrTranscription, "no transcriber configured, none from the platform")
	_, err = p.Process(context.Background(), Audio{Data: amr}, Kind("haiku"))
	require.Error(t, err)
}

// Without audio (its download failed), the platform's transcript is enough.
func TestPlatformTranscriptWithoutAudio(t *testing.T) {
	p := New(DefaultConfig())
	res, err := p.Process(t.Context(), Audio{PlatformTranscript: "I finished the billing migration. Next week I will start the dashboard."}, CheckIn)
	require.NoError(t, err)
	require.Contains(t, res.Summary.Done, "billing migration")
	require.Contains(t, res.Summary.Next, "dashboard")

	_, err = p.Process(t.Context(), Audio{}, CheckIn)
	require.ErrorIs(t, err, ErrUnreadable, "no audio and no transcript")
}
