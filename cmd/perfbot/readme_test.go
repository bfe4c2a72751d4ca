package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	return string(b)
}

// The README starts with the two set-up commands, and says how to get the
// binary its commands use and what make test installs.
func TestReadmeSetUp(t *testing.T) {
	text := readme(t)
	_, rest, ok := strings.Cut(text, "```sh\n")
	require.True(t, ok)
	block, _, _ := strings.Cut(rest, "```")
	var commands []string
	for line := range strings.Lines(block) {
		cmd, _, _ := strings.Cut(line, "#")
		commands = append(commands, strings.TrimSpace(cmd))
	}
	require.Equal(t, []string{"make run", "make test"}, commands, "exactly two set-up commands at the top")
	for _, want := range []string{"make build", "bin/perfbot", "go install ./cmd/perfbot", "root or `sudo`", "scripts/ensure-tools.sh"} {
		require.Contains(t, text, want)
	}
}

// Every perfbot command the README names is one.
func TestReadmeNamesRealCommands(t *testing.T) {
	word := regexp.MustCompile(`^[a-z][a-z\\|-]*$`)
	named := regexp.MustCompile("`perfbot ([^`]+)`").FindAllStringSubmatch(readme(t), -1)
	require.NotEmpty(t, named)
	for _, m := range named {
		var words []string
		for _, f := range strings.Fields(m[1]) {
			if !word.MatchString(f) {
				break
			}
			words = append(words, f)
		}
		if len(words) == 0 || words[0] == "help" {
			continue
		}
		last := words[len(words)-1]
		for _, alt := range strings.Split(strings.ReplaceAll(last, `\|`, "|"), "|") {
			name := strings.Join(append(words[:len(words)-1:len(words)-1], alt), " ")
			_, ok := commands[name]
			require.True(t, ok || isGroup(name), "the README names perfbot %s: %q", name, m[0])
		}
	}
}

// The README's out-of-office example works whenever it is tried.
func TestReadmeAwayExampleWorksToday(t *testing.T) {
	m := regexp.MustCompile("`(away until\\s+[^`]+)`").FindStringSubmatch(readme(t))
	require.NotNil(t, m)
	example := strings.Join(strings.Fields(m[1]), " ")
	s := start(t, sqliteVars(t), "demo")
	s.say("jonas", example)
	require.Eventually(t, func() bool {
		return strings.Contains(s.last("jonas").Text, "No check-in prompts or reminders until you're back on")
	}, 10*time.Second, 50*time.Millisecond, "%q: %+v", example, s.last("jonas"))
	require.Equal(t, 0, s.stop())
}
