package eventkind_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/eventkind"
	"github.com/perfbot/perfbot/internal/i18n"
)

// Every default kind has a label in every locale, for the manager's card.
func TestDefaultKindsHaveLabels(t *testing.T) {
	cat, err := i18n.Load("en")
	require.NoError(t, err)
	for _, kind := range eventkind.Defaults() {
		require.NoError(t, eventkind.Check(kind))
		for _, loc := range i18n.Locales() {
			label := cat.For(loc).T(eventkind.LabelKey(kind))
			require.NotEqual(t, eventkind.LabelKey(kind), label, "%s has no %s label", kind, loc)
		}
	}
	require.Equal(t, "Deal won", cat.For("en").T(eventkind.LabelKey("deal_won")))
	require.Equal(t, "赢单", cat.For("zh-CN").T(eventkind.LabelKey("deal_won")))
}
