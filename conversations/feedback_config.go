package conversations

import (
	"fmt"
	"strconv"
	"strings"
)

// LoadFeedbackConfig reads how praise works from the environment, over
// DefaultFeedbackConfig: PERFBOT_KUDOS_ALLOWANCE (points a person may give
// a month), PERFBOT_KUDOS_DAILY_CAP (a day), PERFBOT_KUDOS_VALUES (company
// values separated by ";", each maybe "English / 中文") and
// PERFBOT_KUDOS_FEED (true or false: praise is public and posted to team
// channels).
func LoadFeedbackConfig(getenv func(string) string) (FeedbackConfig, error) {
	cfg := DefaultFeedbackConfig()
	for _, n := range []struct {
		env string
		to  *int
	}{{"PERFBOT_KUDOS_ALLOWANCE", &cfg.Allowance}, {"PERFBOT_KUDOS_DAILY_CAP", &cfg.DailyCap}} {
		v := getenv(n.env)
		if v == "" {
			continue
		}
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 {
			return FeedbackConfig{}, fmt.Errorf("%s: want a whole number of points, 0 or more, got %q", n.env, v)
		}
		*n.to = i
	}
	if v := getenv("PERFBOT_KUDOS_VALUES"); v != "" {
		cfg.Values = nil
		for value := range strings.SplitSeq(v, ";") {
			if value = strings.TrimSpace(value); value != "" {
				cfg.Values = append(cfg.Values, value)
			}
		}
	}
	if v := getenv("PERFBOT_KUDOS_FEED"); v != "" {
		feed, err := strconv.ParseBool(v)
		if err != nil {
			return FeedbackConfig{}, fmt.Errorf("PERFBOT_KUDOS_FEED: want true or false, got %q", v)
		}
		cfg.Feed = feed
	}
	return cfg, nil
}
