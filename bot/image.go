package bot

import "context"

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
