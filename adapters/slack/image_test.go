package slack_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/slack"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/enginetest"
)

// chart is a small real PNG.
func chart(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		img.Set(x, x/2, color.RGBA{B: 200, A: 255})
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

func TestSendImageUploadsIntoTheDirectConversation(t *testing.T) {
	fake := newFakeSlack(t)
	ad, _ := sender(t, fake, &fakeTime{now: enginetest.Start}, nil)
	pic := chart(t)
	to := bot.Address{Identity: user("UANNA")}

	ref, err := ad.SendImage(t.Context(), to, bot.Image{Name: "digest.png", Alt: "Check-ins 80% @channel", PNG: pic})
	require.NoError(t, err)
	files := fake.shared("DUANNA")
	require.Len(t, files, 1)
	require.Equal(t, bot.MessageRef("file:"+files[0].ID), ref)
	require.Equal(t, pic, files[0].Bytes, "the bytes Slack got are the picture")
	require.Equal(t, "digest.png", files[0].Name)
	require.NotContains(t, files[0].Alt, "@channel", "a broadcast mention is defused")
	require.Contains(t, files[0].Alt, "Check-ins 80%")
	require.Equal(t, files[0].Alt, files[0].Title)
	require.Equal(t, 1, fake.called("conversations.open"), "a user id is no channel for files.completeUploadExternal")

	_, err = ad.SendImage(t.Context(), to, bot.Image{PNG: pic})
	require.NoError(t, err)
	require.Len(t, fake.shared("DUANNA"), 2)
	require.Equal(t, 1, fake.called("conversations.open"), "the conversation is remembered")

	require.ErrorIs(t, ad.Update(t.Context(), ref, bot.Message{Text: "x"}), slack.ErrBadRef)

	// A conversation learnt from chat.postMessage needs no opening.
	_, err = ad.Send(t.Context(), toUser("UBEN"))
	require.NoError(t, err)
	_, err = ad.SendImage(t.Context(), bot.Address{Identity: user("UBEN")}, bot.Image{PNG: pic})
	require.NoError(t, err)
	require.Len(t, fake.shared("DUBEN"), 1)
	require.Equal(t, 1, fake.called("conversations.open"))

	_, err = ad.SendImage(t.Context(), bot.Address{Identity: user(""), Channel: "C0TEAM"}, bot.Image{PNG: pic})
	require.NoError(t, err)
	require.Len(t, fake.shared("C0TEAM"), 1)
}

// Each step is retried on its own: a rate-limited upload or completion does
// not ask for a new upload URL.
func TestSendImageWaitsOutRateLimits(t *testing.T) {
	fake := newFakeSlack(t)
	clock := &fakeTime{now: enginetest.Start}
	ad, _ := sender(t, fake, clock, nil)
	fake.refuse("files.upload", 1)
	fake.refuse("files.completeUploadExternal", 2)
	fake.outage("files.getUploadURLExternal", 1)

	_, err := ad.SendImage(t.Context(), bot.Address{Identity: user("UANNA")}, bot.Image{PNG: chart(t)})
	require.NoError(t, err)
	require.Len(t, fake.shared("DUANNA"), 1)
	require.Equal(t, 2, fake.called("files.getUploadURLExternal"), "once refused by the outage, then once")
	require.Equal(t, 2, fake.called("files.upload"))
	require.Equal(t, 3, fake.called("files.completeUploadExternal"))
	require.GreaterOrEqual(t, total(clock.slept()), 9*time.Second, "three Retry-After: 3 waited")
}

func TestSendImageRefusals(t *testing.T) {
	fake := newFakeSlack(t)
	ad, err := slack.New(slack.Options{
		Config: slack.Config{BotToken: "xoxb-test", SigningSecret: secret, APIURL: fake.GetAPIURL()},
		Clock:  (&fakeTime{now: enginetest.Start}).Now, Sleep: (&fakeTime{}).Sleep, Registerer: prometheus.NewRegistry(),
		MaxImage: 1000,
	})
	require.NoError(t, err)
	anna := bot.Address{Identity: user("UANNA")}

	_, err = ad.SendImage(t.Context(), anna, bot.Image{PNG: make([]byte, 1001)})
	require.ErrorIs(t, err, bot.ErrPermanent)
	require.Zero(t, fake.called("conversations.open")+fake.called("files.getUploadURLExternal"), "refused before any call")

	fake.gone["UGONE"] = true
	_, err = ad.SendImage(t.Context(), bot.Address{Identity: user("UGONE")}, bot.Image{PNG: chart(t)})
	require.ErrorIs(t, err, bot.ErrPermanent)

	fake.outage("files.upload", 10)
	_, err = ad.SendImage(t.Context(), anna, bot.Image{PNG: chart(t)})
	require.ErrorIs(t, err, bot.ErrTemporary, "Slack down is for now")

	fake.outage("files.upload", 0)
	fake.fail("files.completeUploadExternal", "not_in_channel")
	_, err = ad.SendImage(t.Context(), anna, bot.Image{PNG: chart(t)})
	require.ErrorIs(t, err, bot.ErrPermanent)
	require.Empty(t, fake.shared("DUANNA"))
}

func total(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}
