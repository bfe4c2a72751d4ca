package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Dashboard is where the dashboard is reached and what it shows.
type Dashboard struct {
	// URL is the dashboard's public base URL, for the sign-in links sent in
	// chat ("https://perfbot.example.com"); empty is this server's
	// HTTPAddr over plain HTTP.
	URL string
	// MinGroup is the smallest group whose mood and other sensitive
	// aggregates are shown.
	MinGroup int
}

// parseDashboardURL reads an http(s) URL without a query, its trailing
// slash dropped.
func parseDashboardURL(c *Config, v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		c.Dashboard.URL = ""
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("want the dashboard's public base URL, such as https://perfbot.example.com, got %q", v)
	}
	c.Dashboard.URL = strings.TrimSuffix(v, "/")
	return nil
}

func parseDashboardMinGroup(c *Config, v string) error {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 2 {
		return fmt.Errorf("want a whole number of people, 2 or more, got %q", v)
	}
	c.Dashboard.MinGroup = n
	return nil
}

// String is how the dashboard's settings are logged.
func (d Dashboard) String() string {
	u := d.URL
	if u == "" {
		u = "(this server)"
	}
	return fmt.Sprintf("url=%s min_group=%d", u, d.MinGroup)
}
