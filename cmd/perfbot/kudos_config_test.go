package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/config"
)

func TestFeedbackConfig(t *testing.T) {
	def := conversations.DefaultFeedbackConfig()
	require.Equal(t, def, feedbackConfig(config.Kudos{}), "nothing configured keeps the flow's defaults")

	got := feedbackConfig(config.Kudos{DailyCap: new(0), Feed: new(false)})
	require.Equal(t, conversations.FeedbackConfig{Allowance: def.Allowance, DailyCap: 0, Values: def.Values, Feed: false}, got)

	got = feedbackConfig(config.Kudos{Allowance: new(20), Values: []string{}})
	require.Equal(t, conversations.FeedbackConfig{Allowance: 20, DailyCap: def.DailyCap, Values: []string{}, Feed: def.Feed}, got,
		"values configured to none are none")
}
