package orgfile

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/cadence"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/store"
)

// ErrTeamSetting is wrapped by the errors about a team's settings.
var ErrTeamSetting = errors.New("invalid team setting")

// ParseChannel reads where a team's check-ins are posted, as
// "platform:channel" or "platform:tenant:channel" (slack:C0123ABC,
// wecom:ww1a2b:wrkSFfCg, simulator:platform-team). Without a tenant,
// tenants[platform] is used.
func ParseChannel(s string, tenants map[bot.Platform]string) (bot.Address, error) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	var a bot.Address
	switch len(parts) {
	case 2:
		a.Platform, a.Channel = bot.Platform(parts[0]), parts[1]
		a.Tenant = tenants[a.Platform]
	case 3:
		a.Platform, a.Tenant, a.Channel = bot.Platform(parts[0]), parts[1], parts[2]
	default:
		return a, fmt.Errorf("%w: channel %q: want platform:channel or platform:tenant:channel", ErrTeamSetting, s)
	}
	if !slices.Contains([]bot.Platform{bot.Slack, bot.WeCom, bot.DingTalk, bot.Simulator}, a.Platform) {
		return bot.Address{}, fmt.Errorf("%w: channel %q: unknown platform %q", ErrTeamSetting, s, a.Platform)
	}
	if a.Channel == "" {
		return bot.Address{}, fmt.Errorf("%w: channel %q has no channel id", ErrTeamSetting, s)
	}
	return a, nil
}

var deadline = regexp.MustCompile(`^(MON|TUE|WED|THU|FRI|SAT|SUN) ([01][0-9]|2[0-3]):([0-5][0-9])$`)

// ParseDeadline checks a deadline rule, "DAY HH:MM" in each person's own
// time zone (FRI 18:00), and returns it in its usual spelling.
func ParseDeadline(s string) (string, error) {
	d := strings.ToUpper(strings.Join(strings.Fields(s), " "))
	if !deadline.MatchString(d) {
		return "", fmt.Errorf("%w: deadline %q: want a day and a time, like FRI 18:00", ErrTeamSetting, s)
	}
	return d, nil
}

// ParseCadence checks a cadence, a five-field cron expression evaluated in
// each person's own time zone ("0 16 * * FRI": Fridays at 16:00).
func ParseCadence(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	// The parser the scheduler runs, so that what is accepted here is what runs.
	if _, err := cadence.Parse(s); err != nil {
		return "", fmt.Errorf("%w: cadence %q: want a cron expression like \"0 16 * * FRI\", \"every 2 weeks: 0 16 * * FRI\" or \"last workday 16:00\" (no time zone: each person's own is used)", ErrTeamSetting, s)
	}
	return s, nil
}

var questionKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// ReadQuestions reads a check-in template: a YAML list of questions, each a
// key and its text in every locale. The built-in keys (done, blockers,
// next) may leave their texts out to keep perfbot's own.
//
//   - key: done
//   - key: demo
//     en: What did you demo this week?
//     zh-CN: 本周演示了什么？
func ReadQuestions(r io.Reader) ([]store.Question, error) {
	var raw []map[string]string
	dec := yaml.NewDecoder(r)
	if err := dec.Decode(&raw); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: questions: %v", ErrTeamSetting, err)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("%w: questions: the file lists none", ErrTeamSetting)
	}
	seen := map[string]bool{}
	var qs []store.Question
	for i, entry := range raw {
		q := store.Question{Key: entry["key"], Text: map[string]string{}}
		where := fmt.Sprintf("question %d (%s)", i+1, q.Key)
		if !questionKey.MatchString(q.Key) {
			return nil, fmt.Errorf("%w: %s: key must be lowercase letters, digits and _", ErrTeamSetting, where)
		}
		if seen[q.Key] {
			return nil, fmt.Errorf("%w: %s: key used twice", ErrTeamSetting, where)
		}
		seen[q.Key] = true
		for k, v := range entry {
			switch {
			case k == "key":
			case slices.Contains(i18n.Locales(), k):
				if v = strings.TrimSpace(v); v != "" {
					q.Text[k] = v
				}
			default:
				return nil, fmt.Errorf("%w: %s: unknown field %q (want key, %s)", ErrTeamSetting, where, k, strings.Join(i18n.Locales(), ", "))
			}
		}
		builtIn := q.Key == store.QuestionDone || q.Key == store.QuestionBlockers || q.Key == store.QuestionNext
		for _, loc := range i18n.Locales() {
			if q.Text[loc] == "" && (!builtIn || len(q.Text) > 0) {
				return nil, fmt.Errorf("%w: %s: no %s text (every question is asked in every language)", ErrTeamSetting, where, loc)
			}
		}
		if len(q.Text) == 0 {
			q.Text = nil
		}
		qs = append(qs, q)
	}
	return qs, nil
}
