package dingtalk

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
)

// chart is a small real PNG.
func chart(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		img.Set(x, x/2, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

func TestSendImageUploadsThenSendsTheMediaID(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)
	pic := chart(t)

	ref, err := a.SendImage(t.Context(), to("u1"), bot.Image{Name: "digest.png", Alt: "Check-ins 80%", PNG: pic})
	require.NoError(t, err)
	require.Equal(t, bot.MessageRef("pqk1"), ref)
	m := fake.messages("u1")
	require.Len(t, m, 1)
	require.Equal(t, "sampleImageMsg", m[0].MsgKey)
	require.Equal(t, "/v1.0/robot/oToMessages/batchSend", m[0].Path)
	fake.mu.Lock()
	require.Equal(t, pic, fake.media[m[0].Param["photoURL"]], "the uploaded bytes are the picture")
	fake.mu.Unlock()

	_, err = a.SendImage(t.Context(), bot.Address{Identity: bot.Identity{Platform: bot.DingTalk, Tenant: testCorp}, Channel: "cidGroup"}, bot.Image{PNG: pic})
	require.NoError(t, err)
	g := fake.messages("cidGroup")
	require.Len(t, g, 1)
	require.Equal(t, "/v1.0/robot/groupMessages/send", g[0].Path)
	require.Equal(t, "sampleImageMsg", g[0].MsgKey)
}

func TestSendImageRetriesRateLimitsAndARevokedToken(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)
	_, err := a.SendImage(t.Context(), to("warm"), bot.Image{PNG: chart(t)}) // a cached token to revoke
	require.NoError(t, err)

	fake.mu.Lock()
	fake.revoke, fake.uploadLimit, fake.rateLimit = true, 2, 1
	fake.mu.Unlock()
	_, err = a.SendImage(t.Context(), to("u1"), bot.Image{PNG: chart(t)})
	require.NoError(t, err)
	require.Len(t, fake.messages("u1"), 1)
	fake.mu.Lock()
	defer fake.mu.Unlock()
	require.Equal(t, 2, fake.tokens, "the revoked token was replaced once")
	require.Len(t, fake.media, 2, "one upload per picture, refusals stored nothing")
}

func TestSendImageRefusals(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)

	big := append(append([]byte{}, pngMagic...), make([]byte, MaxImageBytes)...)
	_, err := a.SendImage(t.Context(), to("u1"), bot.Image{PNG: big})
	require.ErrorIs(t, err, bot.ErrPermanent)
	_, err = a.SendImage(t.Context(), to("u1"), bot.Image{PNG: []byte("GIF89a")})
	require.ErrorIs(t, err, bot.ErrPermanent)
	fake.mu.Lock()
	require.Zero(t, fake.tokens, "refused before any call")
	fake.uploadLimit = 100
	fake.mu.Unlock()

	_, err = a.SendImage(t.Context(), to("u1"), bot.Image{PNG: chart(t)})
	require.ErrorIs(t, err, ErrRateLimited)
	require.ErrorIs(t, err, bot.ErrTemporary)

	fake.mu.Lock()
	fake.uploadLimit, fake.invalid = 0, []string{"gone"}
	fake.mu.Unlock()
	_, err = a.SendImage(t.Context(), to("gone"), bot.Image{PNG: chart(t)})
	require.ErrorIs(t, err, ErrRecipient)
	require.ErrorIs(t, err, bot.ErrPermanent)

	fake.mu.Lock()
	fake.down = 100
	fake.mu.Unlock()
	_, err = a.SendImage(t.Context(), to("u1"), bot.Image{PNG: chart(t)})
	require.ErrorIs(t, err, bot.ErrTemporary, "DingTalk down is for now")
	require.Empty(t, fake.messages("u1"))
}
