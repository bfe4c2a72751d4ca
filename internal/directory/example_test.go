package directory_test

import (
	"context"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/directory"
	"github.com/perfbot/perfbot/internal/store/sqlstore"
)

// org is a DingTalk organisation as its adapter lists it.
type org []bot.Member

func (org) Platform() bot.Platform { return bot.DingTalk }

func (o org) Members(context.Context) ([]bot.Member, error) { return o, nil }

// An adapter translates its platform's users into members; Sync does the
// rest. Here two people manage each other on the platform: the second
// manager is refused.
func ExampleSync() {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, "sqlite::memory:", time.Now)
	if err != nil {
		panic(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		panic(err)
	}
	user := func(uid string) bot.Identity {
		return bot.Identity{Platform: bot.DingTalk, Tenant: "corp1", UserID: uid}
	}
	members := org{
		{Identity: user("wang"), Name: "王芳", Email: "Wang.Fang@example.com", Manager: user("li"), Active: true},
		{Identity: user("li"), Name: "李伟", Department: "研发", Manager: user("wang"), Active: true},
		{Identity: user("gone"), Name: "Gone", Active: false},
	}
	res, err := directory.Sync(ctx, st, members, directory.Options{DefaultLocale: "zh-CN"})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d created, %d skipped\n", res.Created, res.Skipped)
	for _, line := range res.Problems() {
		fmt.Println(line)
	}
	wang, _ := st.PersonByEmail(ctx, "wang.fang@example.com")
	li, _ := st.PersonByIdentity(ctx, user("li"))
	fmt.Println(wang.Name, wang.Email, wang.Locale, wang.TimeZone, wang.Roles, wang.ManagerID == li.ID)
	fmt.Println(li.Name, li.Department, li.Roles, li.ManagerID)
	// Output:
	// 2 created, 1 skipped
	// manager of li not set: it would make a management loop
	// 王芳 wang.fang@example.com zh-CN UTC [employee] true
	// 李伟 研发 [employee manager] 0
}
