package wecom

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/perfbot/perfbot/bot"
)

var _ bot.ImageSender = (*Adapter)(nil)

// mediaContent names uploaded media in a message.
type mediaContent struct {
	MediaID string `json:"media_id"`
}

// uploadAnswer is media/upload's answer.
type uploadAnswer struct {
	status
	MediaID string `json:"media_id"`
}

// SendImage uploads img as temporary media (kept three days by WeCom) and
// sends it to a member as an image message.
func (a *Adapter) SendImage(ctx context.Context, to bot.Address, img bot.Image) (bot.MessageRef, error) {
	if err := a.ours(to); err != nil {
		return "", err
	}
	if to.IsChannel() {
		return "", fmt.Errorf("wecom: send image: %w: chats take text only here", bot.ErrPermanent)
	}
	var up uploadAnswer
	err := a.api.call(ctx, "media/upload", func(ctx context.Context, token string) error {
		up = uploadAnswer{}
		return a.api.upload(ctx, token, img, &up)
	})
	if err != nil {
		return "", err
	}
	ans, err := a.send(ctx, []string{to.UserID}, payload{MsgType: "image", Image: &mediaContent{MediaID: up.MediaID}})
	if err != nil {
		return "", err
	}
	return msgidRef + bot.MessageRef(ans.MsgID), nil
}

// upload posts img to media/upload as type image, multipart as WeCom asks.
func (c *client) upload(ctx context.Context, token string, img bot.Image, out *uploadAnswer) error {
	body, contentType, err := img.Form("media")
	if err != nil {
		return fmt.Errorf("wecom: media/upload: encode: %w", err)
	}
	q := url.Values{"access_token": {token}, "type": {"image"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint("/cgi-bin/media/upload", q), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("wecom: media/upload: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	return c.doJSON(req, "media/upload", out)
}
