package demo

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/orgfile"
	"github.com/perfbot/perfbot/internal/store"
)

// OrgCSV is the demo organisation as an organisation file (see
// internal/orgfile/FORMAT.md). It doubles as an example of the format.
//
//go:embed org.csv
var OrgCSV string

// ChannelTeam is the demo team that posts check-ins, and praise, to Channel too.
const (
	ChannelTeam = "Platform"
	Channel     = "platform-team"
)

// Seed imports the demo organisation into st, unless st already has people:
// it never mixes the demo into a real organisation, and seeding twice does
// nothing. tenants gives each platform's tenant to the identities the file
// lists without one: the simulator's, so that its events find these people.
func Seed(ctx context.Context, st store.Store, tenants map[bot.Platform]string) error {
	err := st.InTx(ctx, func(tx store.Store) error {
		people, err := tx.People(ctx, store.PeopleFilter{})
		if err != nil {
			return err
		}
		if len(people) > 0 {
			return nil
		}
		_, err = orgfile.Import(ctx, tx, strings.NewReader(OrgCSV), orgfile.ImportOptions{
			Format:          orgfile.FormatCSV,
			Tenants:         tenants,
			DefaultLocale:   bot.LocaleEN,
			DefaultTimeZone: "Asia/Shanghai",
			Actor:           "demo",
		})
		if err != nil {
			return err
		}
		// One team also posts check-ins to a channel, to show the feed.
		team, err := tx.TeamByName(ctx, ChannelTeam)
		if err != nil {
			return err
		}
		team.Channel = bot.Address{Identity: bot.Identity{Platform: bot.Simulator, Tenant: tenants[bot.Simulator]}, Channel: Channel}
		team.PraiseFeed = true
		return tx.SaveTeam(ctx, &team)
	})
	if errors.Is(err, store.ErrConflict) {
		// Another replica seeded at the same time and won; the demo is there.
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo: seed: %w", err)
	}
	return nil
}
