package hook

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fuzzSource checks that src's Decode reads any body without panicking,
// and that what it returns is something the rules and the store can take:
// a known event, accounts of src's tool, at most one occurrence unless
// each has a key of its own. Seeds are the samples named prefix-*, with
// their headers, and a few broken bodies.
func fuzzSource(f *testing.F, src Source, prefix string, header func(event string) http.Header) {
	entries, err := samples.ReadDir("samples")
	require.NoError(f, err)
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".json")
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		body, err := Sample(name)
		require.NoError(f, err)
		event := ""
		if vs := sampleHeaders[name]; len(vs) > 0 {
			for _, v := range vs {
				event = v[0]
			}
		}
		f.Add(event, body)
	}
	for _, b := range []string{``, `null`, `[]`, `{}`, `[{}]`, `{"action": 5}`, `"x"`, `{"issue": null}`, `[{"eventId": "1e999"}]`} {
		f.Add("", []byte(b))
	}
	f.Fuzz(func(t *testing.T, event string, body []byte) {
		d, err := src.Decode(header(event), body)
		if err != nil {
			return
		}
		keys := map[string]bool{}
		for _, o := range d.Events {
			require.Contains(t, src.Events(), o.Event)
			for _, id := range o.Accounts {
				require.Equal(t, src.Name(), string(id.Platform))
				require.NotEmpty(t, id.UserID)
				require.Empty(t, id.Tenant)
			}
			require.NotContains(t, o.Emails, redacted)
			require.False(t, keys[o.Key], "two occurrences with key %q", o.Key)
			keys[o.Key] = true
			// What reaches a card is one line and defused.
			require.NotContains(t, cardTitle(o.Title), "\n")
			if u := cardURL(o.URL); u != "" {
				require.True(t, strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://"))
			}
		}
		if len(d.Events) > 1 {
			require.False(t, slices.ContainsFunc(d.Events, func(o Occurrence) bool { return o.Key == "" }))
		}
	})
}

func FuzzGitHubDecode(f *testing.F) {
	fuzzSource(f, GitHub{}, "github-", func(event string) http.Header {
		return http.Header{headerGitHubEvent: {event}, headerGitHubDelivery: {"d"}}
	})
}

func FuzzGitLabDecode(f *testing.F) {
	fuzzSource(f, GitLab{}, "gitlab-", func(event string) http.Header {
		return http.Header{headerGitLabEvent: {event}, headerGitLabUUID: {"d"}}
	})
}

func FuzzJiraDecode(f *testing.F) {
	fuzzSource(f, Jira{}, "jira-", func(string) http.Header { return http.Header{headerJiraDelivery: {"d"}} })
}

func FuzzHubSpotDecode(f *testing.F) {
	fuzzSource(f, HubSpot{}, "hubspot-", func(string) http.Header { return http.Header{} })
}
