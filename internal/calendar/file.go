package calendar

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"
)

// ErrBadData is wrapped by every error about a data file's content; the
// *FileError carrying it names the file, the line and the field.
var ErrBadData = errors.New("bad calendar data")

// FileError is a mistake in a data file.
type FileError struct {
	File  string
	Line  int    // 0 when the mistake is not on one line (an empty file)
	Field string // the field at fault, e.g. "holidays[2].to"
	Msg   string
}

func (e *FileError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Msg
}

// Unwrap makes errors.Is(err, ErrBadData) true.
func (e *FileError) Unwrap() error { return ErrBadData }

// Name is a holiday's name in perfbot's locales.
type Name struct {
	EN string
	ZH string // zh-CN
}

// In returns the name in locale ("en" or "zh-CN"), English otherwise.
func (n Name) In(locale string) string {
	if locale == "zh-CN" {
		return n.ZH
	}
	return n.EN
}

// year is one region's data for one year, as one file declares it.
type year struct {
	region string
	year   int
	source string
	days   map[Date]day
	line   int // where the year is declared
	// provisional is set on a year perfbot computed from the law rather
	// than read from a published notice (see statutoryCN).
	provisional bool
}

// day is what a data file says about a date.
type day struct {
	name    Name // the holiday, or the holiday a working day makes up for
	workday bool // an adjusted working day (调休) rather than a holiday
}

var regionPattern = regexp.MustCompile(`^[A-Z]{2}(-[A-Z0-9]{1,3})?$`)

// maxSpan bounds one holiday's length, so a typo in a year cannot turn
// months into days off.
const maxSpan = 31

// parse reads every YAML document in r (one per region and year), naming
// file in its errors.
func parse(file string, r io.Reader) ([]*year, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var years []*year
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &FileError{File: file, Msg: err.Error()}
		}
		p := parser{file: file}
		y := p.document(&doc)
		if p.err != nil {
			return nil, p.err
		}
		for _, o := range years {
			if o.region == y.region && o.year == y.year {
				return nil, &FileError{File: file, Line: y.line, Field: "year", Msg: fmt.Sprintf("%s %d is declared twice", y.region, y.year)}
			}
		}
		years = append(years, y)
	}
	if len(years) == 0 {
		return nil, &FileError{File: file, Msg: "no region and year in the file"}
	}
	return years, nil
}

// parser walks one document, keeping the first mistake.
type parser struct {
	file string
	err  error
}

func (p *parser) fail(n *yaml.Node, field, format string, args ...any) {
	if p.err == nil {
		p.err = &FileError{File: p.file, Line: n.Line, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
}

// fields returns a mapping's values by key, refusing keys not in allowed
// and missing keys in required, so a typo cannot be ignored silently.
func (p *parser) fields(n *yaml.Node, field string, allowed, required []string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.fail(n, field, "want a mapping with %v", allowed)
		return nil
	}
	m := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(allowed, k.Value) {
			p.fail(k, join(field, k.Value), "unknown field (want %v)", allowed)
			continue
		}
		if _, dup := m[k.Value]; dup {
			p.fail(k, join(field, k.Value), "given twice")
		}
		m[k.Value] = v
	}
	for _, r := range required {
		if m[r] == nil {
			p.fail(n, join(field, r), "missing")
		}
	}
	return m
}

func join(parent, field string) string {
	if parent == "" {
		return field
	}
	return parent + "." + field
}

func (p *parser) scalar(n *yaml.Node, field string) string {
	if n.Kind != yaml.ScalarNode || n.Value == "" {
		p.fail(n, field, "want a value")
		return ""
	}
	return n.Value
}

func (p *parser) date(n *yaml.Node, field string) Date {
	s := p.scalar(n, field)
	if s == "" {
		return Date{}
	}
	d, err := ParseDate(s)
	if err != nil {
		p.fail(n, field, "%v", err)
	}
	return d
}

func (p *parser) name(n *yaml.Node, field string) Name {
	m := p.fields(n, field, []string{"en", "zh-CN"}, []string{"en", "zh-CN"})
	if m == nil || p.err != nil {
		return Name{}
	}
	return Name{EN: p.scalar(m["en"], field+".en"), ZH: p.scalar(m["zh-CN"], field+".zh-CN")}
}

func (p *parser) document(doc *yaml.Node) *year {
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	m := p.fields(root, "", []string{"region", "year", "source", "holidays", "workdays"}, []string{"region", "year", "source", "holidays"})
	if p.err != nil {
		return nil
	}
	y := &year{days: map[Date]day{}}
	if y.region = p.scalar(m["region"], "region"); p.err == nil && !regionPattern.MatchString(y.region) {
		p.fail(m["region"], "region", "%q is not a region code like CN or US-CA", y.region)
	}
	if _, err := fmt.Sscan(p.scalar(m["year"], "year"), &y.year); p.err == nil && (err != nil || y.year < 1970 || y.year > 2200) {
		p.fail(m["year"], "year", "%q is not a year", m["year"].Value)
	}
	y.line = m["year"].Line
	y.source = p.scalar(m["source"], "source")
	if p.err != nil {
		return nil
	}
	p.holidays(y, m["holidays"])
	if w := m["workdays"]; w != nil {
		p.workdays(y, w)
	}
	return y
}

// inRange reports whether d may appear in the data of year y: a notice
// for a year may also name the last days of the year before (a New Year
// break starting on December 31st) or the first of the next.
func inRange(d Date, y int) bool { return d.Year >= y-1 && d.Year <= y+1 }

func (p *parser) holidays(y *year, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "holidays", "want a list")
		return
	}
	for i, h := range n.Content {
		field := fmt.Sprintf("holidays[%d]", i)
		m := p.fields(h, field, []string{"name", "from", "to"}, []string{"name", "from"})
		if p.err != nil {
			return
		}
		name := p.name(m["name"], field+".name")
		from := p.date(m["from"], field+".from")
		to := from
		if m["to"] != nil {
			to = p.date(m["to"], field+".to")
		}
		if p.err != nil {
			return
		}
		switch {
		case !inRange(from, y.year):
			p.fail(m["from"], field+".from", "%s is not in or next to %d", from, y.year)
		case to.Compare(from) < 0:
			p.fail(m["to"], field+".to", "%s is before from %s", to, from)
		case to.Compare(from.AddDays(maxSpan-1)) > 0:
			p.fail(m["to"], field+".to", "%s makes a holiday longer than %d days", to, maxSpan)
		}
		for d := from; p.err == nil && d.Compare(to) <= 0; d = d.AddDays(1) {
			if _, dup := y.days[d]; dup {
				p.fail(h, field, "%s is already listed", d)
			}
			y.days[d] = day{name: name}
		}
	}
}

func (p *parser) workdays(y *year, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "workdays", "want a list")
		return
	}
	for i, w := range n.Content {
		field := fmt.Sprintf("workdays[%d]", i)
		m := p.fields(w, field, []string{"date", "name"}, []string{"date", "name"})
		if p.err != nil {
			return
		}
		d := p.date(m["date"], field+".date")
		name := p.name(m["name"], field+".name")
		if p.err != nil {
			return
		}
		switch wd := d.Weekday(); {
		case !inRange(d, y.year):
			p.fail(m["date"], field+".date", "%s is not in or next to %d", d, y.year)
		case wd != time.Saturday && wd != time.Sunday:
			p.fail(m["date"], field+".date", "%s is a %s, a working day already", d, wd)
		}
		if _, dup := y.days[d]; p.err == nil && dup {
			p.fail(m["date"], field+".date", "%s is already listed", d)
		}
		y.days[d] = day{name: name, workday: true}
	}
}
