package audience_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/audience"
	"github.com/perfbot/perfbot/internal/store"
)

// FuzzParse checks that an audience read is written back by String in a
// form Parse reads as the same audience, and that a refusal says why.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"everyone", "所有人", "team Platform, dept Sales, role Manager", "team:Core,email:a@x.com,b@x.com",
		"团队平台组、部门 销售", "", "teams Platform", "team", "role boss", "email 0", "team ::core", "email all；team:x@y", "邮箱 a@b，角色 hr"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := audience.Parse(s)
		if err != nil {
			require.Equal(t, store.Audience{}, a, "a refused audience names no one")
			var bad *audience.BadItemError
			var role *audience.BadRoleError
			require.True(t, errors.Is(err, audience.ErrEmpty) || errors.As(err, &bad) || errors.As(err, &role), "%v", err)
			return
		}
		require.False(t, a.IsZero())
		for _, r := range a.Roles {
			require.Contains(t, bot.Roles, r)
		}
		again, err := audience.Parse(audience.String(a))
		require.NoError(t, err, audience.String(a))
		require.Equal(t, a, again, "String writes what Parse reads")
	})
}
