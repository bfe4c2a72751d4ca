package dingtalk

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/directory"
	"github.com/perfbot/perfbot/internal/enginetest"
)

func TestDirectorySync(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			fake := newFake(t)
			f := enginetest.New(t, b)
			a := fake.adapter(fake.config(), f.Clock.Now, f.Dialog)
			ctx := context.Background()
			// Known already: Anna by email (no DingTalk id yet).
			anna := f.Add("anna", bot.LocaleEN, "Europe/Berlin", 0, bot.RoleEmployee)
			fake.users = []map[string]any{
				{"userid": "boss", "name": "王芳", "org_email": "Wang.Fang@Example.com", "dept_id_list": []int64{1}},
				{"userid": "anna1", "name": "Anna Schmidt", "email": "anna@example.com", "dept_id_list": []int64{2}},
				{"userid": "lei", "name": "李雷", "dept_id_list": []int64{2, 1}},
			}
			fake.managers = map[string]string{"anna1": "boss", "lei": "anna1"}

			depts, users, err := a.Directory(ctx)
			require.NoError(t, err)
			require.Len(t, depts, 2)
			require.Len(t, users, 3, "lei is in two departments, listed once")

			res, err := a.SyncDirectory(ctx, f.Store, directory.Options{DefaultLocale: bot.LocaleZH, DefaultTimeZone: "Asia/Shanghai"})
			require.NoError(t, err)
			require.Equal(t, directory.Result{Created: 2, Updated: 1}, res)

			boss, err := f.Store.PersonByIdentity(ctx, a.identity("boss"))
			require.NoError(t, err)
			require.Equal(t, "wang.fang@example.com", boss.Email)
			require.Equal(t, bot.LocaleZH, boss.Locale)
			require.Equal(t, "Asia/Shanghai", boss.TimeZone)
			require.Equal(t, []bot.Role{bot.RoleEmployee, bot.RoleManager}, boss.Roles, "a manager gets the role")
			got, err := f.Store.Person(ctx, anna.ID)
			require.NoError(t, err)
			require.Equal(t, "Anna Schmidt", got.Name)
			require.Equal(t, "研发 Engineering", got.Department)
			require.Equal(t, boss.ID, got.ManagerID)
			require.Equal(t, "Europe/Berlin", got.TimeZone, "what DingTalk does not give is kept")
			require.Contains(t, got.Identities, a.identity("anna1"))
			lei, err := f.Store.PersonByIdentity(ctx, a.identity("lei"))
			require.NoError(t, err)
			require.Equal(t, anna.ID, lei.ManagerID)

			log, err := f.Store.AuditLog(ctx, "person:"+strconv.FormatInt(lei.ID, 10), 10)
			require.NoError(t, err)
			require.NotEmpty(t, log)
			require.Equal(t, "sync:dingtalk", log[0].Actor)
			require.True(t, f.Clock.Now().Equal(log[0].At), "the adapter's clock")

			res, err = a.SyncDirectory(ctx, f.Store, directory.Options{})
			require.NoError(t, err)
			require.Equal(t, directory.Result{Unchanged: 3}, res, "a second sync changes nothing")
		})
	}
}
