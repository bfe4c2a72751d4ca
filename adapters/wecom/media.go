package wecom

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Media downloads a temporary media file (a voice note's AMR audio) by its
// media id, which WeCom keeps for three days.
func (a *Adapter) Media(ctx context.Context, mediaID string) ([]byte, error) {
	var audio []byte
	err := a.api.call(ctx, "media/get", func(ctx context.Context, token string) error {
		q := url.Values{"access_token": {token}, "media_id": {mediaID}}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.api.endpoint("/cgi-bin/media/get", q), nil)
		if err != nil {
			return fmt.Errorf("wecom: media/get: %w", err)
		}
		body, h, err := a.api.do(req, "media/get")
		if err != nil {
			return err
		}
		if isJSON(h, body) { // a failure is told in JSON, a file is the file
			var st status
			if err := json.Unmarshal(body, &st); err != nil {
				return fmt.Errorf("wecom: media/get: decode answer: %w", err)
			}
			if err := st.err("media/get"); err != nil {
				return err
			}
			return fmt.Errorf("wecom: media/get: JSON answer without a file")
		}
		audio = body
		return nil
	})
	return audio, err
}
