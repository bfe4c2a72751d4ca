package wecom_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
)

// SendMany is BatchSend for the Broadcaster: members WeCom says are invalid,
// and identities of another corp, come back as refusals.
func TestSendManyRefusesInvalidMembers(t *testing.T) {
	fake := newFakeWeCom(t)
	fake.invalid["Gone"] = true
	a := newAdapter(t, fake, nil, &sleeps{}, time.Now)
	require.Equal(t, 1000, a.BatchSize())
	var ids []bot.Identity
	for i := range 5 {
		ids = append(ids, to(fmt.Sprintf("u%d", i)).Identity)
	}
	gone, other := to("Gone").Identity, bot.Identity{Platform: bot.WeCom, Tenant: "other-corp", UserID: "x"}
	refused, err := a.SendMany(t.Context(), append(ids, gone, other), bot.Message{Title: "Announcement", Text: "Cycle opens"})
	require.NoError(t, err)
	require.ElementsMatch(t, []bot.Refusal{{Identity: gone, Reason: "invalid"}, {Identity: other, Reason: "not in this corp"}}, refused)
	sends := fake.Sends()
	require.Len(t, sends, 1, "one call")
	require.Len(t, strings.Split(sends[0].ToUser, "|"), 6)
}
