package audience_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/audience"
	"github.com/perfbot/perfbot/internal/store"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want store.Audience
		err  error
	}{
		{"everyone", store.Audience{Everyone: true}, nil},
		{"所有人", store.Audience{Everyone: true}, nil},
		{"team Platform, dept Sales, role Manager", store.Audience{Teams: []string{"Platform"}, Departments: []string{"Sales"}, Roles: []bot.Role{bot.RoleManager}}, nil},
		{"team:Core,email:a@x.com,b@x.com", store.Audience{Teams: []string{"Core"}, Emails: []string{"a@x.com", "b@x.com"}}, nil},
		{"团队平台组、部门 销售", store.Audience{Teams: []string{"平台组"}, Departments: []string{"销售"}}, nil},
		// Found by fuzzing: values String wrote back in a form that read as
		// something else.
		{"email 0, email all, email team:x@y", store.Audience{Emails: []string{"0", "all", "team:x@y"}}, nil},
		{"team ::core, dept: :x", store.Audience{Teams: []string{":core"}, Departments: []string{":x"}}, nil},
		{"", store.Audience{}, audience.ErrEmpty},
		{"teams Platform", store.Audience{}, &audience.BadItemError{Item: "teams Platform"}},
		{"team", store.Audience{}, &audience.BadItemError{Item: "team"}},
		{"role boss", store.Audience{}, &audience.BadRoleError{Role: "boss"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := audience.Parse(tt.in)
			if tt.err != nil {
				require.Equal(t, tt.err, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			again, err := audience.Parse(audience.String(got))
			require.NoError(t, err)
			require.Equal(t, got, again, "String writes what Parse reads")
		})
	}
}

type directory struct {
	people []bot.Person
	teams  []store.Team
}

func (d directory) People(context.Context, store.PeopleFilter) ([]bot.Person, error) {
	return d.people, nil
}
func (d directory) Teams(context.Context) ([]store.Team, error) { return d.teams, nil }

func TestResolve(t *testing.T) {
	dir := directory{
		teams: []store.Team{{ID: 1, Name: "Platform"}, {ID: 2, Name: "Empty"}},
		people: []bot.Person{
			{ID: 3, Name: "C", Department: "Sales", Email: "c@x.com"},
			{ID: 1, Name: "A", TeamID: 1, Roles: []bot.Role{bot.RoleManager}},
			{ID: 2, Name: "B", TeamID: 1, Email: "B@X.com"},
			{ID: 4, Name: "D", Roles: []bot.Role{bot.RoleHR}},
		},
	}
	res, err := audience.Resolve(t.Context(), dir, store.Audience{
		Teams: []string{"platform", "Empty", "Gone"}, Departments: []string{"sales"}, Emails: []string{"b@x.com", "z@x.com"},
	})
	require.NoError(t, err)
	require.Equal(t, []int64{1, 2, 3}, res.IDs(), "each once, by id")
	require.Equal(t, []string{"team Empty", "team Gone", "z@x.com"}, res.Missing)

	res, err = audience.Resolve(t.Context(), dir, store.Audience{Everyone: true})
	require.NoError(t, err)
	require.Equal(t, []int64{1, 2, 3, 4}, res.IDs())
	require.Empty(t, res.Missing)
}
