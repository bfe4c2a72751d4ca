package wecom_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/directory"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

func TestDirectorySync(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			fake := newFakeWeCom(t)
			fake.deps = `{"errcode":0,"errmsg":"ok","department":[{"id":1,"name":"Acme","parentid":0},{"id":2,"name":"研发 R&D","parentid":1}]}`
			fake.users["1"] = `{"errcode":0,"errmsg":"ok","userlist":[
				{"userid":"WangFang","name":"王芳","department":[1],"main_department":1,"email":"Wang.Fang@example.com","status":1}]}`
			fake.users["2"] = `{"errcode":0,"errmsg":"ok","userlist":[
				{"userid":"LiWei","name":"李伟","department":[2],"main_department":2,"direct_leader":["WangFang"],"status":1},
				{"userid":"Anna","name":"Anna Schmidt","department":[2],"main_department":2,"biz_mail":"anna@example.com","direct_leader":["LiWei"],"status":1},
				{"userid":"Gone","name":"Gone","department":[2],"main_department":2,"status":5},
				{"userid":"Off","name":"Off","department":[2],"main_department":2,"email":"off@example.com","status":2},
				{"userid":"New","name":"Not Yet Active","department":[2],"main_department":2,"direct_leader":["LiWei","WangFang"],"status":4},
				{"userid":"WangFang","name":"王芳","department":[1,2],"main_department":1,"status":1}]}`

			f := enginetest.New(t, b)
			// Already known: Wang Fang by email (from an import), Li Wei by
			// his WeCom identity.
			known := f.Add("Fang W.", bot.LocaleZH, "Asia/Shanghai", 0, bot.RoleHR)
			known.Email = "wang.fang@example.com"
			require.NoError(t, f.Store.SavePerson(ctx, &known))
			li := f.Add("Li", bot.LocaleEN, "Europe/Berlin", 0, bot.RoleEmployee, bot.Identity{Platform: bot.WeCom, Tenant: corp, UserID: "LiWei"})

			a := newAdapter(t, fake, nil, &sleeps{}, time.Now)
			opt := directory.Options{DefaultLocale: "zh_CN", DefaultTimeZone: "Asia/Shanghai"}
			res, err := a.SyncDirectory(ctx, f.Store, opt)
			require.NoError(t, err)
			require.Equal(t, directory.Result{Created: 2, Updated: 2, Skipped: 2}, res, "disabled and left skipped")

			wang, err := f.Store.Person(ctx, known.ID)
			require.NoError(t, err)
			require.Equal(t, "王芳", wang.Name)
			require.Equal(t, "Acme", wang.Department)
			require.Contains(t, wang.Identities, bot.Identity{Platform: bot.WeCom, Tenant: corp, UserID: "WangFang"})
			require.True(t, wang.Has(bot.RoleManager), "a direct leader manages")
			require.True(t, wang.Has(bot.RoleHR), "and keeps what she was")

			liNow, err := f.Store.Person(ctx, li.ID)
			require.NoError(t, err)
			require.Equal(t, wang.ID, liNow.ManagerID)
			require.Equal(t, "研发 R&D", liNow.Department)
			require.Equal(t, "Europe/Berlin", liNow.TimeZone, "what WeCom does not know is kept")

			anna, err := f.Store.PersonByEmail(ctx, "anna@example.com")
			require.NoError(t, err)
			require.Equal(t, li.ID, anna.ManagerID)
			require.Equal(t, bot.LocaleZH, anna.Locale)
			require.Equal(t, "Asia/Shanghai", anna.TimeZone)
			require.Equal(t, []bot.Role{bot.RoleEmployee}, anna.Roles)

			_, err = f.Store.PersonByIdentity(ctx, bot.Identity{Platform: bot.WeCom, Tenant: corp, UserID: "Gone"})
			require.ErrorIs(t, err, store.ErrNotFound, "people who left are not created")
			_, err = f.Store.PersonByEmail(ctx, "off@example.com")
			require.ErrorIs(t, err, store.ErrNotFound, "disabled members are not created")
			newbie, err := f.Store.PersonByIdentity(ctx, bot.Identity{Platform: bot.WeCom, Tenant: corp, UserID: "New"})
			require.NoError(t, err, "members not yet activated are people")
			require.Equal(t, li.ID, newbie.ManagerID, "the first direct leader manages")

			log, err := f.Store.AuditLog(ctx, "person:"+itoa(anna.ID), 10)
			require.NoError(t, err)
			require.NotEmpty(t, log)
			require.Equal(t, "sync:wecom", log[0].Actor)
			require.Equal(t, "org.sync", log[0].Action)

			// Again: nothing to change.
			res, err = a.SyncDirectory(ctx, f.Store, opt)
			require.NoError(t, err)
			require.Equal(t, directory.Result{Unchanged: 4, Skipped: 2}, res)
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
