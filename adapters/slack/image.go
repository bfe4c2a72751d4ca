package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	slackapi "github.com/slack-go/slack"

	"github.com/perfbot/perfbot/bot"
)

var _ bot.ImageSender = (*Adapter)(nil)

// MaxImageBytes is the largest file Slack takes (1 GB, files.upload and
// files.getUploadURLExternal docs). A larger image (or one over
// Options.MaxImage) is refused before any call.
const MaxImageBytes = 1 << 30

// maxAltText is the most alt_txt Slack keeps (files.getUploadURLExternal:
// 1000 characters).
const maxAltText = 1000

// fileRefPrefix starts the ref of an uploaded file: Slack names it by its
// file id, not by channel and ts, so Update refuses it (ErrBadRef).
const fileRefPrefix = "file:"

// SendImage uploads img into a person's direct conversation with the app,
// or into to.Channel, through Slack's external upload: files.getUploadURLExternal,
// the POST of the bytes to the URL it answers, then files.completeUploadExternal
// sharing it. Each step is paced and retried on its own, so a refused
// completion does not upload again. The alt text is the file's alt text and
// its title; the words follow as their own message. The ref is the file id.
func (a *Adapter) SendImage(ctx context.Context, to bot.Address, img bot.Image) (bot.MessageRef, error) {
	if to.Platform != "" && to.Platform != bot.Slack {
		return "", fmt.Errorf("slack: send image: address is on %q: %w", to.Platform, bot.ErrPermanent)
	}
	if len(img.PNG) == 0 {
		return "", fmt.Errorf("slack: send image: empty image: %w", bot.ErrPermanent)
	}
	if len(img.PNG) > a.maxImage {
		return "", fmt.Errorf("slack: send image: %d bytes, over the %d allowed: %w", len(img.PNG), a.maxImage, bot.ErrPermanent)
	}
	channel := to.Channel
	if !to.IsChannel() {
		var err error
		if channel, err = a.dm(ctx, to); err != nil {
			return "", err
		}
	}
	name := img.Name
	if name == "" {
		name = "image.png"
	}
	alt := truncate(bot.Neutralize(img.Alt), maxAltText)

	var up *slackapi.GetUploadURLExternalResponse
	err := a.call(ctx, "files.getUploadURLExternal", "", func(ctx context.Context) error {
		var err error
		up, err = a.api.GetUploadURLExternalContext(ctx, slackapi.GetUploadURLExternalParameters{
			FileName: name, FileSize: len(img.PNG), AltTxt: alt,
		})
		return err
	})
	if err != nil {
		return "", err
	}
	err = a.call(ctx, "files.upload", "", func(ctx context.Context) error {
		// A fresh reader each attempt: a retry sends the whole file again.
		return a.api.UploadToURL(ctx, slackapi.UploadToURLParameters{
			UploadURL: up.UploadURL, Reader: bytes.NewReader(img.PNG), Filename: name,
		})
	})
	if err != nil {
		return "", err
	}
	var done *slackapi.CompleteUploadExternalResponse
	err = a.call(ctx, "files.completeUploadExternal", channel, func(ctx context.Context) error {
		var err error
		done, err = a.api.CompleteUploadExternalContext(ctx, slackapi.CompleteUploadExternalParameters{
			Files: []slackapi.FileSummary{{ID: up.FileID, Title: alt}}, Channel: channel,
		})
		return err
	})
	if err != nil {
		return "", err
	}
	if len(done.Files) != 1 {
		return "", fmt.Errorf("slack: files.completeUploadExternal: %d files shared, not 1: %w", len(done.Files), bot.ErrTemporary)
	}
	return bot.MessageRef(fileRefPrefix + done.Files[0].ID), nil
}

// dm is the D... id of a person's direct conversation with the app: the one
// remembered, else conversations.open's (files.completeUploadExternal takes
// no user id as its channel).
func (a *Adapter) dm(ctx context.Context, to bot.Address) (string, error) {
	if to.UserID == "" {
		return "", errors.New("slack: send image: no recipient")
	}
	if ch, ok := a.dms.get(ctx, to.Tenant, to.UserID); ok {
		return ch, nil
	}
	ch, err := a.open(ctx, to.UserID)
	if err != nil {
		return "", err
	}
	a.dms.put(ctx, to.Tenant, to.UserID, ch)
	return ch, nil
}
