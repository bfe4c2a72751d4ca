package i18n_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/i18n"
)

func readFile(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	m := map[string]string{}
	require.NoError(t, yaml.Unmarshal(b, &m))
	require.NotEmpty(t, m, path)
	return m
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Every feature's file exists in every locale with every message and the
// same placeholders, and no message is defined by two features.
func TestLocalesComplete(t *testing.T) {
	files, err := filepath.Glob("locales/*.en.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	owner := map[string]string{}
	for _, enFile := range files {
		feature := strings.TrimSuffix(filepath.Base(enFile), ".en.yaml")
		en := readFile(t, enFile)
		for id := range en {
			require.NotContains(t, owner, id, "%q is in both %s and %s", id, owner[id], feature)
			owner[id] = feature
		}
		for _, loc := range i18n.Locales() {
			other := readFile(t, filepath.Join("locales", feature+"."+loc+".yaml"))
			for id, text := range en {
				require.Contains(t, other, id, "%s.%s lacks %q", feature, loc, id)
				require.Equal(t, placeholders(text), placeholders(other[id]), "%s.%s: %q placeholders differ", feature, loc, id)
			}
			for id := range other {
				require.Contains(t, en, id, "%s.%s has %q, which en lacks", feature, loc, id)
			}
		}
	}
	all, err := filepath.Glob("locales/*.yaml")
	require.NoError(t, err)
	require.Len(t, all, len(files)*len(i18n.Locales()), "every file is FEATURE.LOCALE.yaml of a known locale")
}

func TestFor(t *testing.T) {
	cat, err := i18n.Load("en")
	require.NoError(t, err)
	require.Equal(t, "Weekly check-in · 2026-W48", cat.For("en").T("prompt.title", "Period", "2026-W48"))
	require.Equal(t, "每周签到 · 2026-W48", cat.For("zh-CN").T("prompt.title", "Period", "2026-W48"))
	require.Equal(t, "zh-CN", cat.For("zh_CN").Locale())
	require.Equal(t, "en", cat.For("fr").Locale(), "unknown locales fall back")
	require.Equal(t, "no.such.message", cat.For("en").T("no.such.message"))

	zh, err := i18n.Load("zh-CN")
	require.NoError(t, err)
	require.Equal(t, "zh-CN", zh.For("").Locale())
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"en": "en", "en-US": "en", "EN_gb": "en", "zh": "zh-CN", "zh_CN": "zh-CN",
		"zh-Hans-CN": "zh-CN", "zh-TW": "", "fr": "", "": "",
	} {
		require.Equal(t, want, i18n.Normalize(in), in)
	}
}

// asciiAfterCJK is ASCII ? : ! , or ; right after a Chinese character or
// Chinese punctuation (spaces between allowed), where Chinese text uses
// ？：！，；.
var asciiAfterCJK = regexp.MustCompile(`[\p{Han}\x{3000}-\x{303F}\x{FF00}-\x{FFEF}]\s*[?:!,;]`)

// Chinese text uses Chinese punctuation throughout.
func TestChinesePunctuation(t *testing.T) {
	files, err := filepath.Glob("locales/*." + bot.LocaleZH + ".yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		for id, text := range readFile(t, file) {
			require.Empty(t, asciiAfterCJK.FindAllString(text, -1), "%s %q: %q uses ASCII punctuation after Chinese", file, id, text)
		}
	}
	require.True(t, asciiAfterCJK.MatchString("本周完成了什么?"), "the check itself")
	require.True(t, asciiAfterCJK.MatchString("「签到」: "), "the check itself")
	require.False(t, asciiAfterCJK.MatchString("本周完成了什么？ 18:00"), "the check itself")
}
