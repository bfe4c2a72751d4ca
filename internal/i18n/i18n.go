// Package i18n holds every text a person reads, in each locale perfbot
// speaks (en and zh-CN), and picks the right one for a person.
//
// Texts live in YAML files embedded in the binary, one per feature and
// locale (locales/FEATURE.LOCALE.yaml, e.g. checkin.zh-CN.yaml), loaded with
// go-i18n. A missing text is a bug, not a runtime surprise: the tests check
// that every locale has every message, with the same placeholders, and that
// no two features define the same message.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"

	"github.com/perfbot/perfbot/bot"
)

//go:embed locales/*.yaml
var files embed.FS

// Catalog is every message in every locale.
type Catalog struct {
	bundle     *goi18n.Bundle
	localizers map[string]*goi18n.Localizer
	fallback   string
}

// Load reads the embedded translation files. fallback is the locale used for
// people whose locale is unset or unknown.
func Load(fallback string) (*Catalog, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	names, err := fs.Glob(files, "locales/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	for _, name := range names {
		if _, err := b.LoadMessageFileFS(files, name); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
	}
	c := &Catalog{bundle: b, localizers: map[string]*goi18n.Localizer{}}
	for _, loc := range Locales() {
		c.localizers[loc] = goi18n.NewLocalizer(b, loc)
	}
	c.fallback = Normalize(fallback)
	if c.fallback == "" {
		c.fallback = bot.LocaleEN
	}
	return c, nil
}

// Locales lists the locales perfbot speaks.
func Locales() []string { return []string{bot.LocaleEN, bot.LocaleZH} }

// Normalize maps the spellings people and platforms use ("zh", "zh_CN",
// "zh-Hans", "en-US") to a supported locale, or "" when there is none.
func Normalize(locale string) string {
	l := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(locale), "_", "-"))
	switch {
	case l == "":
		return ""
	case l == "zh" || strings.HasPrefix(l, "zh-cn") || strings.HasPrefix(l, "zh-hans") || strings.HasPrefix(l, "zh-sg"):
		return bot.LocaleZH
	case l == "en" || strings.HasPrefix(l, "en-"):
		return bot.LocaleEN
	}
	return ""
}

// For returns the texts in locale, or in the fallback locale.
func (c *Catalog) For(locale string) Texts {
	loc := Normalize(locale)
	if _, ok := c.localizers[loc]; !ok {
		loc = c.fallback
	}
	return Texts{l: c.localizers[loc], locale: loc}
}

// Texts are the messages in one locale.
type Texts struct {
	l      *goi18n.Localizer
	locale string
}

// Locale is the locale these texts are in.
func (t Texts) Locale() string { return t.locale }

// T renders message id with data. Pairs are key, value, key, value...
// A missing message renders as its id, so a gap shows instead of crashing;
// the tests keep the files complete.
func (t Texts) T(id string, pairs ...any) string {
	var data map[string]any
	if len(pairs) > 0 {
		data = make(map[string]any, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			data[fmt.Sprint(pairs[i])] = pairs[i+1]
		}
	}
	s, err := t.l.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id
	}
	return s
}
