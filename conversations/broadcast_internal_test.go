package conversations

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

func TestParseBroadcast(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		want broadcastCmd
	}{
		{"broadcasting live", false, broadcastCmd{}},
		{"hello", false, broadcastCmd{}},
		{"broadcast", true, broadcastCmd{kind: bcUsage}},
		{"/广播", true, broadcastCmd{kind: bcUsage}},
		{"broadcast status", true, broadcastCmd{kind: bcStatus}},
		{"广播 状态 #12", true, broadcastCmd{kind: bcStatus, id: 12}},
		{"broadcast everyone: Review: Monday", true, broadcastCmd{kind: bcSend, audience: store.Audience{Everyone: true}, text: "Review: Monday"}},
		{"broadcast team Platform, role manager ack: Read it", true, broadcastCmd{kind: bcSend, ack: true,
			audience: store.Audience{Teams: []string{"Platform"}, Roles: []bot.Role{bot.RoleManager}}, text: "Read it"}},
		{"广播 所有人确认：下周一", true, broadcastCmd{kind: bcSend, ack: true, audience: store.Audience{Everyone: true}, text: "下周一"}},
		{"broadcast everyone", true, broadcastCmd{kind: bcSend, err: errNoColon}},
		{"broadcast everyone:   ", true, broadcastCmd{kind: bcSend, audience: store.Audience{Everyone: true}, err: errNoText}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseBroadcast(tt.in)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.want, got)
		})
	}
}
