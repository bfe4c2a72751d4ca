package dingtalk

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
)

// SendMany is SendBatch for the Broadcaster: invalid recipients are refused
// for good, flow-controlled ones for now.
func TestSendManyRefusals(t *testing.T) {
	fake := newFake(t)
	a := fake.adapter(fake.config(), nil, nil)
	require.Equal(t, 20, a.BatchSize())
	var ids []bot.Identity
	for i := range 5 {
		ids = append(ids, to(fmt.Sprintf("u%02d", i)).Identity)
	}
	fake.invalid = []string{"u01"}
	fake.flowControl = []string{"u02"}
	a.api.retry.Attempts = 1 // give up on flow control at once
	refused, err := a.SendMany(context.Background(), ids, bot.Message{Text: "broadcast"})
	require.NoError(t, err)
	require.ElementsMatch(t, []bot.Refusal{
		{Identity: ids[1], Reason: "invalid"},
		{Identity: ids[2], Reason: "flow_controlled", Temporary: true},
	}, refused)
	for _, i := range []int{0, 3, 4} {
		require.Len(t, fake.messages(ids[i].UserID), 1)
	}
}
