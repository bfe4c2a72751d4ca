package wecom_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/enginetest"
)

func TestSendImageUploadsThenSends(t *testing.T) {
	fake := newFakeWeCom(t)
	clock := &enginetest.Clock{}
	clock.Set(enginetest.Start)
	a := newAdapter(t, fake, nil, &sleeps{}, clock.Now)
	var _ bot.ImageSender = a
	png := []byte("\x89PNG\r\n\x1a\nchart")
	ref, err := a.SendImage(t.Context(), to("LiWei"), bot.Image{Name: "digest.png", Alt: "chart", PNG: png})
	require.NoError(t, err)
	require.NotEmpty(t, ref)

	fake.mu.Lock()
	defer fake.mu.Unlock()
	require.Equal(t, map[string][]byte{"media-1": png}, fake.uploads)
	require.Len(t, fake.sends, 1)
	s := fake.sends[0]
	require.Equal(t, "image", s.MsgType)
	require.Equal(t, "LiWei", s.ToUser)
	require.NotNil(t, s.Image)
	require.Equal(t, "media-1", s.Image.MediaID)

	_, err = a.SendImage(t.Context(), bot.Address{Identity: bot.Identity{Platform: bot.Slack, UserID: "U1"}}, bot.Image{PNG: png})
	require.Error(t, err, "not a WeCom member")
}
