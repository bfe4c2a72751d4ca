package simulator_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
)

func TestSendImageShowsItInline(t *testing.T) {
	a := newAdapter(simulator.Options{})
	var _ bot.ImageSender = a
	png := []byte("\x89PNG\r\n\x1a\nnot really")
	ref, err := a.SendImage(t.Context(), dm("alice"), bot.Image{Name: "chart.png", Alt: "Check-ins: W48 80% @all", PNG: png})
	require.NoError(t, err)
	require.NotEmpty(t, ref)
	es := a.DM("alice")
	require.Len(t, es, 1)
	require.Equal(t, png, es[0].Image.PNG)

	srv := serve(t, a, nil)
	var v struct {
		Conversations []struct {
			Messages []struct {
				Image    string `json:"image"`
				ImageAlt string `json:"image_alt"`
			}
		}
	}
	getJSON(t, srv.URL+"/api/conversations/alice", &v)
	m := v.Conversations[0].Messages[0]
	data, ok := strings.CutPrefix(m.Image, "data:image/png;base64,")
	require.True(t, ok, m.Image)
	got, err := base64.StdEncoding.DecodeString(data)
	require.NoError(t, err)
	require.Equal(t, png, got)
	require.NotContains(t, m.ImageAlt, "@all", "the words are escaped as any message's")
}
