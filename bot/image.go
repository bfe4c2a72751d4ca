package bot

import (
	"bytes"
	"context"
	"mime/multipart"
)

// Image is a picture perfbot sends, such as the weekly digest's chart: a
// PNG and the words it stands for, for those who cannot see it.
type Image struct {
	// Name is a file name for platforms that show one ("digest.png").
	Name string
	Alt  string
	PNG  []byte
}

// ImageSender is an Adapter that can send an image: WeCom and DingTalk
// through their media upload, Slack through a file upload, the simulator
// inline. An adapter without it gets the words only.
type ImageSender interface {
	SendImage(ctx context.Context, to Address, img Image) (MessageRef, error)
}

// Form is img as a multipart form with the PNG in field, as WeCom's and
// DingTalk's media uploads take it, and the form's Content-Type.
func (img Image) Form(field string) (body []byte, contentType string, err error) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	name := img.Name
	if name == "" {
		name = "image.png"
	}
	part, err := mw.CreateFormFile(field, name)
	if err == nil {
		_, err = part.Write(img.PNG)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return nil, "", err
	}
	return b.Bytes(), mw.FormDataContentType(), nil
}
