package voice

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
)

// OpenAIASR transcribes with an OpenAI-compatible /audio/transcriptions
// endpoint: OpenAI itself, a self-hosted whisper server, a cloud ASR.
type OpenAIASR struct {
	// BaseURL includes the version: "http://127.0.0.1:8000/v1".
	BaseURL string
	Key     string
	Model   string
	http    *retrier
}

// NewOpenAIASR returns the transcriber for cfg's ASR settings; client nil
// means http.DefaultClient and clock nil the system clock.
func NewOpenAIASR(cfg Config, client *http.Client, clock Clock) *OpenAIASR {
	if clock == nil {
		clock = systemClock{}
	}
	return &OpenAIASR{BaseURL: cfg.ASRURL, Key: cfg.ASRKey, Model: cfg.ASRModel, http: newRetrier(client, clock, cfg.ASRTimeout)}
}

// Name implements Transcriber.
func (o *OpenAIASR) Name() string { return "openai-asr" }

// Transcribe implements Transcriber.
func (o *OpenAIASR) Transcribe(ctx context.Context, s Speech) (Transcript, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "voice.wav")
	if err != nil {
		return Transcript{}, err
	}
	fw.Write(s.WAV) // a bytes.Buffer does not fail
	mw.WriteField("model", o.Model)
	mw.WriteField("response_format", "json")
	if lang := isoLanguage(s.Language); lang != "" {
		mw.WriteField("language", lang)
	}
	if err := mw.Close(); err != nil {
		return Transcript{}, err
	}
	url := o.BaseURL + "/audio/transcriptions"
	answer, err := o.http.do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body.Bytes()))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if o.Key != "" {
			req.Header.Set("Authorization", "Bearer "+o.Key)
		}
		return req, nil
	})
	if err != nil {
		return Transcript{}, err
	}
	var out struct {
		Text     string `json:"text"`
		Language string `json:"language"`
	}
	if err := json.Unmarshal(answer, &out); err != nil {
		return Transcript{}, fmt.Errorf("answer is not JSON with a text: %w", err)
	}
	lang := s.Language
	if out.Language != "" && lang == "" {
		lang = locale(out.Language)
	}
	return Transcript{Text: out.Text, Language: lang}, nil
}

// isoLanguage is the ISO 639-1 code ASR APIs take: "zh-CN" -> "zh".
func isoLanguage(l string) string {
	l, _, _ = strings.Cut(strings.ToLower(l), "-")
	l, _, _ = strings.Cut(l, "_")
	return l
}

// locale maps what an ASR reports ("zh", "chinese", "en", "english") to
// perfbot's locales; anything else is passed through.
func locale(l string) string {
	switch strings.ToLower(l) {
	case "zh", "chinese", "zh-cn", "mandarin":
		return "zh-CN"
	case "en", "english":
		return "en"
	}
	return l
}
