package voice

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const secretKey = "sk-test-do-not-leak"

// fakeAPI is an OpenAI-compatible server on 127.0.0.1 answering with the
// handlers in turn (the last one again once they run out).
type fakeAPI struct {
	*httptest.Server
	calls atomic.Int32
}

func newFakeAPI(t *testing.T, handlers ...http.HandlerFunc) *fakeAPI {
	f := &fakeAPI{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(f.calls.Add(1)) - 1
		if r.Header.Get("Authorization") != "Bearer "+secretKey {
			http.Error(w, "bad key", http.StatusUnauthorized)
			return
		}
		handlers[min(n, len(handlers)-1)](w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func chatAnswer(content string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]string{"role": "assistant", "content": content}}}})
	}
}

func status(code int, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		http.Error(w, fmt.Sprintf(`{"error":"status %d"}`, code), code)
	}
}

// hang answers only when the client has given up. It reads the body
// first: only then does the server watch the connection and see the
// client hang up.
func hang(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

// A fake answers at once, but a test machine under load (and -race) can
// take a while: only the timeout test wants a timeout that fires.
const (
	patient   = 10 * time.Second
	impatient = 200 * time.Millisecond
)

func llmFor(url string, clock Clock) *LLM { return llmWithin(url, clock, patient) }

func llmWithin(url string, clock Clock, timeout time.Duration) *LLM {
	cfg := DefaultConfig()
	cfg.LLMURL, cfg.LLMKey, cfg.LLMModel, cfg.LLMTimeout = url+"/v1", secretKey, "qwen-plus", timeout
	return NewLLM(cfg, nil, clock)
}

func asrFor(url string, clock Clock) *OpenAIASR { return asrWithin(url, clock, patient) }

func asrWithin(url string, clock Clock, timeout time.Duration) *OpenAIASR {
	cfg := DefaultConfig()
	cfg.ASRURL, cfg.ASRKey, cfg.ASRTimeout = url+"/v1", secretKey, timeout
	return NewOpenAIASR(cfg, nil, clock)
}

var speech = Speech{WAV: []byte("RIFF....WAVE"), Language: "zh-CN"}

func TestLLMGoodAnswer(t *testing.T) {
	var got chatRequest
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, "/v1/chat/completions", r.URL.Path)
		require.NoError(t, json.NewDecoder(r.Body).Decode(&got))
		chatAnswer("```json\n{\"done\": \"账单迁移\", \"blockers\": \"\", \"next\": \"报表\"}\n```")(w, r)
	})
	s, err := llmFor(api.URL, newFakeClock()).Summarise(context.Background(), Transcript{Text: "这周完成了账单迁移"}, CheckIn)
	require.NoError(t, err)
	require.Equal(t, Summary{Kind: CheckIn, Done: "账单迁移", Next: "报表"}, s)
	require.Equal(t, "qwen-plus", got.Model)
	require.Equal(t, "json_object", got.ResponseFormat["type"])
	require.Equal(t, "这周完成了账单迁移", got.Messages[1].Content)
	require.Contains(t, got.Messages[0].Content, `"blockers"`)
}

func TestLLMBadJSONRetriedOnceThenRejected(t *testing.T) {
	for name, content := range map[string]string{
		"not json":     "Sure! Here is your summary: done the billing",
		"missing key":  `{"done": "billing", "next": "dashboard"}`,
		"not a string": `{"win": ["a"], "improve": "", "support": ""}`,
		"all empty":    `{"win": "", "improve": "", "support": ""}`,
	} {
		t.Run(name, func(t *testing.T) {
			api := newFakeAPI(t, chatAnswer(content))
			kind := CheckIn
			if strings.Contains(content, "win") {
				kind = ThreeByThree
			}
			_, err := llmFor(api.URL, newFakeClock()).Summarise(context.Background(), Transcript{Text: "x"}, kind)
			require.ErrorIs(t, err, ErrBadSummary)
			require.EqualValues(t, 2, api.calls.Load())
		})
	}
	api := newFakeAPI(t, chatAnswer("nope"), chatAnswer(`{"win": "demo", "improve": "", "support": "more testers"}`))
	s, err := llmFor(api.URL, newFakeClock()).Summarise(context.Background(), Transcript{Text: "x"}, ThreeByThree)
	require.NoError(t, err, "the retry's valid answer is taken")
	require.Equal(t, "more testers", s.Support)
}

func TestLLMWithoutResponseFormat(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		var req chatRequest
		require.NoError(t, json.NewDecoder(r.Body).Decode(&req))
		if req.ResponseFormat != nil {
			status(http.StatusBadRequest)(w, r)
			return
		}
		chatAnswer(`{"done": "a", "blockers": "b", "next": "c"}`)(w, r)
	})
	s, err := llmFor(api.URL, newFakeClock()).Summarise(context.Background(), Transcript{Text: "x"}, CheckIn)
	require.NoError(t, err)
	require.Equal(t, "b", s.Blockers)
}

func TestProvidersRetryAfter429(t *testing.T) {
	t.Run("llm, seconds", func(t *testing.T) {
		clock := newFakeClock()
		api := newFakeAPI(t, status(429, "Retry-After", "7"), chatAnswer(`{"done": "a", "blockers": "", "next": ""}`))
		_, err := llmFor(api.URL, clock).Summarise(context.Background(), Transcript{Text: "x"}, CheckIn)
		require.NoError(t, err)
		require.Equal(t, []time.Duration{7 * time.Second}, clock.Waits())
	})
	t.Run("asr, http date", func(t *testing.T) {
		clock := newFakeClock()
		at := clock.Now().Add(30 * time.Second).Format(http.TimeFormat)
		api := newFakeAPI(t, status(429, "Retry-After", at), func(w http.ResponseWriter, r *http.Request) {
			require.Equal(t, "/v1/audio/transcriptions", r.URL.Path)
			require.NoError(t, r.ParseMultipartForm(1<<20))
			require.Equal(t, "whisper-1", r.FormValue("model"))
			require.Equal(t, "zh", r.FormValue("language"))
			f, _, err := r.FormFile("file")
			require.NoError(t, err)
			b, _ := io.ReadAll(f)
			require.Equal(t, speech.WAV, b)
			fmt.Fprint(w, `{"text": "这周完成了账单迁移"}`)
		})
		tr, err := asrFor(api.URL, clock).Transcribe(context.Background(), speech)
		require.NoError(t, err)
		require.Equal(t, "这周完成了账单迁移", tr.Text)
		require.Equal(t, []time.Duration{30 * time.Second}, clock.Waits())
	})
	t.Run("a Retry-After of an hour is capped", func(t *testing.T) {
		clock := newFakeClock()
		api := newFakeAPI(t, status(429, "Retry-After", "3600"), chatAnswer(`{"done": "a", "blockers": "", "next": ""}`))
		_, err := llmFor(api.URL, clock).Summarise(context.Background(), Transcript{Text: "x"}, CheckIn)
		require.NoError(t, err)
		require.Equal(t, []time.Duration{time.Minute}, clock.Waits())
	})
}

func TestProviders5xxRetriedBounded(t *testing.T) {
	clock := newFakeClock()
	api := newFakeAPI(t, status(502), status(503), fakeText("billing done"))
	tr, err := asrFor(api.URL, clock).Transcribe(context.Background(), speech)
	require.NoError(t, err)
	require.Equal(t, "billing done", tr.Text)
	require.Equal(t, []time.Duration{500 * time.Millisecond, time.Second}, clock.Waits(), "exponential backoff")

	clock = newFakeClock()
	api = newFakeAPI(t, status(500))
	_, err = asrFor(api.URL, clock).Transcribe(context.Background(), speech)
	var httpErr *HTTPError
	require.ErrorAs(t, err, &httpErr)
	require.Equal(t, 500, httpErr.StatusCode)
	require.EqualValues(t, 4, api.calls.Load(), "one try and three retries")
	require.NotContains(t, err.Error(), secretKey)

	api = newFakeAPI(t, status(401))
	_, err = asrFor(api.URL, newFakeClock()).Transcribe(context.Background(), speech)
	require.ErrorAs(t, err, &httpErr)
	require.EqualValues(t, 1, api.calls.Load(), "a 4xx is not retried")
}

func fakeText(text string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, `{"text": %q}`, text) }
}

func TestProvidersTimeout(t *testing.T) {
	clock := newFakeClock()
	api := newFakeAPI(t, hang)
	_, err := llmWithin(api.URL, clock, impatient).Summarise(context.Background(), Transcript{Text: "x"}, CheckIn)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.EqualValues(t, 4, api.calls.Load())
	require.Len(t, clock.Waits(), 3)

	api = newFakeAPI(t, hang, fakeText("late but there"))
	tr, err := asrWithin(api.URL, newFakeClock(), impatient).Transcribe(context.Background(), speech)
	require.NoError(t, err)
	require.Equal(t, "late but there", tr.Text)
}

func TestChainRecordsFailuresAndMovesOn(t *testing.T) {
	api := newFakeAPI(t, status(500))
	broken := NewCommand("false", time.Second)
	chain := Chain{Platform{}, asrFor(api.URL, newFakeClock()), broken, &Command{Args: []string{"echo", "from", "the", "command"}}}
	tr, failed, err := chain.transcribe(context.Background(), speech)
	require.NoError(t, err)
	require.Equal(t, "from the command", tr.Text)
	require.Equal(t, "command:echo", tr.Provider)
	require.Len(t, failed, 2, "the platform had nothing: not a failure")
	require.Equal(t, "openai-asr", failed[0].Provider)
	require.Equal(t, "command:false", failed[1].Provider)

	_, err = Chain{Platform{}, asrFor(api.URL, newFakeClock()), broken}.Transcribe(context.Background(), speech)
	require.ErrorIs(t, err, ErrTranscription)
	var httpErr *HTTPError
	require.ErrorAs(t, err, &httpErr, "the causes are wrapped")
	require.NotContains(t, err.Error(), secretKey)

	tr, err = chain.Transcribe(context.Background(), Speech{PlatformTranscript: "平台的识别结果"})
	require.NoError(t, err)
	require.Equal(t, "platform", tr.Provider)
}

func TestParseTranscript(t *testing.T) {
	for in, want := range map[string]string{
		"this week i finished\nnext week i will\n":                                     "this week i finished next week i will",
		`{"b":0.0,"d":1.5,"p":1,"t":"this week","w":[]}` + "\n" + `{"t":"i finished"}`: "this week i finished",
		"[00:00:00.000 --> 00:00:02.000]   这周完成了\n[00:00:02.000 --> 00:00:04.000]  下周": "这周完成了 下周",
	} {
		require.Equal(t, want, parseTranscript([]byte(in)))
	}
}
