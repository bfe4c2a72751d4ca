package voice

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// LLM summarises with an OpenAI-compatible chat-completions endpoint
// (Qwen, DeepSeek, OpenAI, a local server), asking for strict JSON. An
// answer that does not validate is asked for once more, then rejected
// with ErrBadSummary.
type LLM struct {
	// BaseURL includes the version: "https://api.deepseek.com/v1".
	BaseURL string
	Key     string
	Model   string
	http    *retrier
}

// NewLLM returns the summariser for cfg's LLM settings; client nil means
// http.DefaultClient and clock nil the system clock.
func NewLLM(cfg Config, client *http.Client, clock Clock) *LLM {
	if clock == nil {
		clock = systemClock{}
	}
	return &LLM{BaseURL: cfg.LLMURL, Key: cfg.LLMKey, Model: cfg.LLMModel, http: newRetrier(client, clock, cfg.LLMTimeout)}
}

// Name implements Summariser.
func (l *LLM) Name() string { return "llm:" + l.Model }

var prompts = map[Kind]string{
	CheckIn: `You structure a transcribed voice note in which an employee gives their weekly check-in.
Answer with one JSON object and nothing else: {"done": "...", "blockers": "...", "next": "..."}.
"done": what they finished or achieved; "blockers": what is stopping or slowing them; "next": what they plan to do next.
Use the speaker's own words and language; drop fillers and repetitions; do not add anything they did not say.
Use "" for a part they did not talk about. All three values are strings.`,
	ThreeByThree: `You structure a transcribed voice note in which an employee gives a weekly 3x3 note.
Answer with one JSON object and nothing else: {"win": "...", "improve": "...", "support": "..."}.
"win": a strength or win; "improve": something to improve; "support": a request for support.
Use the speaker's own words and language; drop fillers and repetitions; do not add anything they did not say.
Use "" for a part they did not talk about. All three values are strings.`,
}

// Summarise implements Summariser.
func (l *LLM) Summarise(ctx context.Context, t Transcript, kind Kind) (Summary, error) {
	if err := kind.valid(); err != nil {
		return Summary{}, err
	}
	jsonMode := true
	var invalid error
	for try := 0; try < 2; try++ {
		content, err := l.complete(ctx, prompts[kind], t.Text, jsonMode)
		var httpErr *HTTPError
		if jsonMode && errors.As(err, &httpErr) && httpErr.StatusCode == http.StatusBadRequest {
			// Some local servers reject response_format; the prompt alone
			// asks for JSON, and the answer is validated either way.
			jsonMode = false
			content, err = l.complete(ctx, prompts[kind], t.Text, jsonMode)
		}
		if err != nil {
			return Summary{}, err
		}
		s, err := parseSummary(content, kind)
		if err == nil {
			return s, nil
		}
		invalid = err
	}
	return Summary{}, fmt.Errorf("%w: %w", ErrBadSummary, invalid)
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model          string            `json:"model"`
	Messages       []chatMessage     `json:"messages"`
	Temperature    float64           `json:"temperature"`
	ResponseFormat map[string]string `json:"response_format,omitempty"`
}

func (l *LLM) complete(ctx context.Context, system, transcript string, jsonMode bool) (string, error) {
	req := chatRequest{
		Model:       l.Model,
		Messages:    []chatMessage{{Role: "system", Content: system}, {Role: "user", Content: transcript}},
		Temperature: 0,
	}
	if jsonMode {
		req.ResponseFormat = map[string]string{"type": "json_object"}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return "", err
	}
	url := l.BaseURL + "/chat/completions"
	answer, err := l.http.do(ctx, func(ctx context.Context) (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		r.Header.Set("Content-Type", "application/json")
		if l.Key != "" {
			r.Header.Set("Authorization", "Bearer "+l.Key)
		}
		return r, nil
	})
	if err != nil {
		return "", err
	}
	var out struct {
		Choices []struct {
			Message chatMessage `json:"message"`
		} `json:"choices"`
	}
	if err := json.Unmarshal(answer, &out); err != nil || len(out.Choices) == 0 {
		return "", fmt.Errorf("%w: not a chat completion", ErrBadSummary)
	}
	return out.Choices[0].Message.Content, nil
}

// parseSummary validates the model's JSON: all the kind's keys there, all
// strings, at least one not empty. Models like to wrap JSON in a Markdown
// fence even when told not to, so one is removed first.
func parseSummary(content string, kind Kind) (Summary, error) {
	content = strings.TrimSpace(content)
	if rest, ok := strings.CutPrefix(content, "```"); ok {
		rest = strings.TrimPrefix(rest, "json")
		content = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "```"))
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(content), &raw); err != nil {
		return Summary{}, fmt.Errorf("answer is not a JSON object: %w", err)
	}
	s := Summary{Kind: kind}
	for _, k := range kind.Keys() {
		v, ok := raw[k]
		if !ok {
			return Summary{}, fmt.Errorf("answer has no %q", k)
		}
		str, ok := v.(string)
		if !ok {
			return Summary{}, fmt.Errorf("answer's %q is not a string", k)
		}
		s.set(k, strings.TrimSpace(str))
	}
	if s.empty() {
		return Summary{}, errors.New("answer is empty")
	}
	return s, nil
}
