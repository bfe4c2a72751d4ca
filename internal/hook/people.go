package hook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/store"
)

// People finds the person an event is about. store.Store has these methods.
type People interface {
	PersonByEmail(ctx context.Context, email string) (bot.Person, error)
	PersonByIdentity(ctx context.Context, id bot.Identity) (bot.Person, error)
	// People is only asked for everyone (a zero filter), to find a user id
	// given without its tenant.
	People(ctx context.Context, f store.PeopleFilter) ([]bot.Person, error)
}

// platforms are the prefixes of a platform identity.
var platforms = []bot.Platform{bot.Slack, bot.WeCom, bot.DingTalk, bot.Simulator}

// resolve finds the person ref names and checks they have a manager. A ref
// the sender got wrong is a problem; err is perfbot's own failure.
func (h *Handler) resolve(ctx context.Context, ref string) (int64, *problem, error) {
	unprocessable := func(msg string, args ...any) (int64, *problem, error) {
		return 0, &problem{status: http.StatusUnprocessableEntity, field: "person", msg: fmt.Sprintf(msg, args...)}, nil
	}
	p, err := h.find(ctx, ref)
	switch {
	case errors.Is(err, errBadRef):
		return unprocessable("%q is neither an email nor a platform id: use e.g. ada@example.com, slack:U123 or slack:T01:U123 (platforms: %s)", ref, platformList())
	case errors.Is(err, store.ErrNotFound):
		return unprocessable("no person in perfbot matches %q: check the spelling, or add them (perfbot org)", ref)
	case errors.Is(err, errAmbiguous):
		return unprocessable("%q matches people in several tenants: give the tenant too, as platform:tenant:user_id", ref)
	case err != nil:
		return 0, nil, fmt.Errorf("find person: %w", err)
	}
	if p.ManagerID == 0 {
		return unprocessable("%q has no manager in perfbot, so there is nobody to prompt: set their manager (perfbot org)", ref)
	}
	return p.ID, nil, nil
}

var (
	errBadRef    = errors.New("hook: not an email or platform id")
	errAmbiguous = errors.New("hook: user id in several tenants")
)

// find reads the person ref names: "platform:tenant:user_id",
// "platform:user_id" or an email. A user id without its tenant is looked for
// on every tenant of the platform, and must be in only one.
func (h *Handler) find(ctx context.Context, ref string) (bot.Person, error) {
	prefix, rest, isID := strings.Cut(ref, ":")
	if isID && slices.Contains(platforms, bot.Platform(prefix)) {
		platform := bot.Platform(prefix)
		if tenant, user, ok := strings.Cut(rest, ":"); ok {
			if tenant == "" || user == "" {
				return bot.Person{}, errBadRef
			}
			return h.people.PersonByIdentity(ctx, bot.Identity{Platform: platform, Tenant: tenant, UserID: user})
		}
		if rest == "" {
			return bot.Person{}, errBadRef
		}
		return h.byUserID(ctx, platform, rest)
	}
	if at := strings.IndexByte(ref, '@'); at <= 0 || at == len(ref)-1 {
		return bot.Person{}, errBadRef
	}
	return h.people.PersonByEmail(ctx, ref)
}

// byUserID finds the one person with userID on platform, in any tenant.
// It reads everyone: events are rare, and the store has no index for it.
func (h *Handler) byUserID(ctx context.Context, platform bot.Platform, userID string) (bot.Person, error) {
	everyone, err := h.people.People(ctx, store.PeopleFilter{})
	if err != nil {
		return bot.Person{}, err
	}
	var found []bot.Person
	for _, p := range everyone {
		if slices.ContainsFunc(p.Identities, func(id bot.Identity) bool {
			return id.Platform == platform && id.UserID == userID
		}) {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		return bot.Person{}, fmt.Errorf("hook: %s user %q: %w", platform, userID, store.ErrNotFound)
	case 1:
		return found[0], nil
	default:
		return bot.Person{}, errAmbiguous
	}
}

func platformList() string {
	names := make([]string, len(platforms))
	for i, p := range platforms {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}
