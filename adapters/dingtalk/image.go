package dingtalk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/perfbot/perfbot/bot"
)

var _ bot.ImageSender = (*Adapter)(nil)

// MaxImageBytes is the largest image media/upload takes (DingTalk's
// documented limit for type image: 20 MB). A larger one is refused before
// any call.
const MaxImageBytes = 20 << 20

// pngMagic starts every PNG file.
var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// SendImage uploads img through the old API's media/upload (type image) and
// sends the media id as a robot image message (sampleImageMsg, whose
// photoURL takes a media id): one-to-one to a person, or to a group chat.
// The picture has no caption on DingTalk: the words follow as their own
// message. The ref is DingTalk's processQueryKey.
func (a *Adapter) SendImage(ctx context.Context, to bot.Address, img bot.Image) (bot.MessageRef, error) {
	if err := a.check(to); err != nil {
		return "", err
	}
	if len(img.PNG) > MaxImageBytes {
		return "", fmt.Errorf("dingtalk: send image: %d bytes, over DingTalk's %d: %w", len(img.PNG), MaxImageBytes, bot.ErrPermanent)
	}
	if !bytes.HasPrefix(img.PNG, pngMagic) {
		return "", fmt.Errorf("dingtalk: send image: not a PNG: %w", bot.ErrPermanent)
	}
	mediaID, err := a.upload(ctx, img)
	if err != nil {
		return "", err
	}
	param, err := json.Marshal(map[string]string{"photoURL": mediaID})
	if err != nil {
		return "", err
	}
	p := robotMessage{MsgKey: "sampleImageMsg", MsgParam: string(param)}
	if to.IsChannel() {
		var out struct {
			ProcessQueryKey string `json:"processQueryKey"`
		}
		err := a.api.call(ctx, http.MethodPost, "/v1.0/robot/groupMessages/send", map[string]string{
			"robotCode": a.cfg.RobotCode, "openConversationId": to.Channel, "msgKey": p.MsgKey, "msgParam": p.MsgParam,
		}, &out)
		if err != nil {
			return "", err
		}
		return bot.MessageRef(out.ProcessQueryKey), nil
	}
	res, err := a.robotBatch(ctx, []string{to.UserID}, p)
	if err != nil {
		return "", err
	}
	if len(res.Failed) > 0 {
		kind := bot.ErrPermanent
		if res.Failed[0].Reason == "flow_controlled" {
			kind = bot.ErrTemporary
		}
		return "", fmt.Errorf("%w: %s (%s): %w", ErrRecipient, to.UserID, res.Failed[0].Reason, kind)
	}
	return bot.MessageRef(res.Refs[0]), nil
}

// uploadAnswer is media/upload's answer: unlike the topapi calls, the
// media id is beside errcode, not in a result.
type uploadAnswer struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
	MediaID string `json:"media_id"`
}

// upload posts img to the old API's media/upload as multipart field
// "media", paced and retried like every call, and returns its media id.
func (a *Adapter) upload(ctx context.Context, img bot.Image) (string, error) {
	const path = "/media/upload"
	body, contentType, err := img.Form("media")
	if err != nil {
		return "", fmt.Errorf("dingtalk: %s: encode: %w", path, err)
	}
	var mediaID string
	err = a.api.withRetry(ctx, path, func(token string) error {
		q := url.Values{"access_token": {token}, "type": {"image"}}
		// A fresh reader each attempt: a retry sends the whole body again.
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.cfg.OAPIBase+path+"?"+q.Encode(), bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("dingtalk: %s: %w", path, err)
		}
		req.Header.Set("Content-Type", contentType)
		var out uploadAnswer
		if err := a.api.exchange(req, path, &out); err != nil {
			return err
		}
		if out.ErrCode != 0 {
			return &APIError{Path: path, Status: http.StatusOK, Code: strconv.Itoa(out.ErrCode), Message: out.ErrMsg}
		}
		if out.MediaID == "" {
			return fmt.Errorf("dingtalk: %s: answer without a media_id: %w", path, bot.ErrTemporary)
		}
		mediaID = out.MediaID
		return nil
	})
	return mediaID, err
}
