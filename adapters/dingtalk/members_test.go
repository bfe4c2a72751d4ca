package dingtalk

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/enginetest"
)

// Members walks the departments and translates their users; internal/
// directory's tests show what a sync makes of this listing.
func TestMembers(t *testing.T) {
	fake := newFake(t)
	f := enginetest.New(t, enginetest.Embedded)
	a := fake.adapter(fake.config(), f.Clock.Now, f.Dialog)
	ctx := context.Background()
	fake.users = []map[string]any{
		{"userid": "boss", "name": "王芳", "org_email": "Wang.Fang@Example.com", "dept_id_list": []int64{1}},
		{"userid": "anna1", "name": "Anna Schmidt", "email": "anna@example.com", "dept_id_list": []int64{2}},
		{"userid": "lei", "name": "李雷", "dept_id_list": []int64{2, 1}, "extension": `{"爱好":"旅游","gitlab":"Lei","Jira":"557058:lei"}`},
	}
	fake.managers = map[string]string{"anna1": "boss", "lei": "anna1"}

	depts, users, err := a.Directory(ctx)
	require.NoError(t, err)
	require.Len(t, depts, 2)
	require.Len(t, users, 3, "lei is in two departments, listed once")

	members, err := a.Members(ctx)
	require.NoError(t, err)
	// The work address first, lower-cased; the first department; the
	// manager from user/get, since user/list leaves it out.
	require.Equal(t, []bot.Member{
		{Identity: a.identity("boss"), Name: "王芳", Email: "wang.fang@example.com", Active: true},
		{Identity: a.identity("lei"), Name: "李雷", Department: "研发 Engineering", Manager: a.identity("anna1"), Active: true,
			Accounts: []bot.Identity{{Platform: bot.Jira, UserID: "557058:lei"}, {Platform: bot.GitLab, UserID: "lei"}}},
		{Identity: a.identity("anna1"), Name: "Anna Schmidt", Email: "anna@example.com", Department: "研发 Engineering", Manager: a.identity("boss"), Active: true},
	}, members)
}
