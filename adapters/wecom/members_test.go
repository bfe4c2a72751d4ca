package wecom_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
)

// Members translates the departments and members visible to the app;
// internal/directory's tests show what a sync makes of this listing.
func TestMembers(t *testing.T) {
	fake := newFakeWeCom(t)
	fake.deps = `{"errcode":0,"errmsg":"ok","department":[{"id":1,"name":"Acme","parentid":0},{"id":2,"name":"研发 R&D","parentid":1}]}`
	fake.users["1"] = `{"errcode":0,"errmsg":"ok","userlist":[
		{"userid":"WangFang","name":"王芳","department":[1],"main_department":1,"email":"Wang.Fang@example.com","status":1}]}`
	fake.users["2"] = `{"errcode":0,"errmsg":"ok","userlist":[
		{"userid":"LiWei","name":"李伟","department":[2],"main_department":2,"direct_leader":["WangFang"],"status":1,
		 "extattr":{"attrs":[{"type":0,"name":"GitHub","text":{"value":"LiWei-GH"}},{"type":1,"name":"Jira","web":{"url":"https://x","title":"x"}},{"type":0,"name":"爱好","text":{"value":"旅游"}}]}},
		{"userid":"Anna","name":"Anna Schmidt","department":[2],"main_department":2,"biz_mail":"anna@example.com","direct_leader":["LiWei"],"status":1},
		{"userid":"Gone","name":"Gone","department":[2],"main_department":2,"status":5},
		{"userid":"Off","name":"Off","department":[2],"main_department":2,"email":"off@example.com","status":2},
		{"userid":"New","name":"Not Yet Active","department":[2],"main_department":2,"direct_leader":["LiWei","WangFang"],"status":4},
		{"userid":"WangFang","name":"王芳","department":[1,2],"main_department":1,"status":1}]}`
	a := newAdapter(t, fake, nil, &sleeps{}, time.Now)

	members, err := a.Members(context.Background())
	require.NoError(t, err)
	id := func(uid string) bot.Identity { return bot.Identity{Platform: bot.WeCom, Tenant: corp, UserID: uid} }
	rd := "研发 R&D"
	// Each member once, in userid order; disabled members and leavers are
	// not active, members not yet activated are; the first direct leader
	// manages.
	require.Equal(t, []bot.Member{
		{Identity: id("Anna"), Name: "Anna Schmidt", Email: "anna@example.com", Department: rd, Manager: id("LiWei"), Active: true},
		{Identity: id("Gone"), Name: "Gone", Department: rd},
		{Identity: id("LiWei"), Name: "李伟", Department: rd, Manager: id("WangFang"), Active: true,
			Accounts: []bot.Identity{{Platform: bot.GitHub, UserID: "liwei-gh"}}}, // a text field named after a tool
		{Identity: id("New"), Name: "Not Yet Active", Department: rd, Manager: id("LiWei"), Active: true},
		{Identity: id("Off"), Name: "Off", Email: "off@example.com", Department: rd},
		{Identity: id("WangFang"), Name: "王芳", Email: "Wang.Fang@example.com", Department: "Acme", Active: true},
	}, members)
}
