package calendar

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"time"
)

//go:embed data/*.yaml
var shipped embed.FS

// ErrNoData is returned by Lookup for a region with no data for the year
// asked about; the answer then counts weekends only.
var ErrNoData = errors.New("no calendar data")

// Calendar answers which days are worked, per region. It is read-only once
// loaded and safe for concurrent use.
type Calendar struct {
	regions map[string]map[int]*year
}

// provisionalCN are the years of China perfbot makes up from the law (see
// statutoryCN) for want of a published notice. A shipped file of the same
// year replaces its provisional year, and so does an override.
func provisionalCN() []int { return []int{2027} }

// Load reads the shipped data, adds the provisional years no shipped file
// has, and then, when overridePath is not empty, reads the override file
// there: each region and year it declares replaces the shipped or
// provisional one whole, or adds to them. A mistake in a file stops
// loading, naming the file, the line and the field.
func Load(overridePath string) (*Calendar, error) { return load(shipped, overridePath) }

// load is Load with the shipped files read from data, so that a test can
// ship a year.
func load(data fs.FS, overridePath string) (*Calendar, error) {
	c := &Calendar{regions: map[string]map[int]*year{}}
	files, err := fs.Glob(data, "data/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, name := range files {
		f, err := data.Open(name)
		if err != nil {
			return nil, err
		}
		years, err := parse(name, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		// A shipped file holds exactly the region and year it is named after.
		if len(years) != 1 || path.Base(name) != fmt.Sprintf("%s-%d.yaml", years[0].region, years[0].year) {
			return nil, &FileError{File: name, Msg: "a shipped file must hold the one region and year it is named after"}
		}
		c.add(years)
	}
	for _, y := range provisionalCN() {
		if _, published := c.regions["CN"][y]; published {
			continue
		}
		p, err := statutoryCN(y)
		if err != nil {
			return nil, err
		}
		c.add([]*year{p})
	}
	if overridePath == "" {
		return c, nil
	}
	f, err := os.Open(overridePath)
	if err != nil {
		return nil, fmt.Errorf("calendar override: %w", err)
	}
	defer f.Close()
	years, err := parse(overridePath, f)
	if err != nil {
		return nil, err
	}
	c.add(years)
	return c, nil
}

func (c *Calendar) add(years []*year) {
	for _, y := range years {
		if c.regions[y.region] == nil {
			c.regions[y.region] = map[int]*year{}
		}
		c.regions[y.region][y.year] = y
	}
}

// Regions returns the regions with data, in order.
func (c *Calendar) Regions() []string {
	return slices.Sorted(maps.Keys(c.regions))
}

// Years returns the years region has data for, in order.
func (c *Calendar) Years(region string) []int {
	var ys []int
	for y := range c.regions[region] {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// Source returns where the data of region's year came from, as its file
// cites it.
func (c *Calendar) Source(region string, y int) (string, bool) {
	if d, ok := c.regions[region][y]; ok {
		return d.source, true
	}
	return "", false
}

// Provisional reports whether region's year y is one perfbot computed from
// the law's statutory days, with no adjusted working days, while its
// published notice is not loaded: the days off of the notice will differ.
func (c *Calendar) Provisional(region string, y int) bool {
	d, ok := c.regions[region][y]
	return ok && d.provisional
}

// Day is what the calendar knows about one date of one region.
type Day struct {
	Date    Date
	Workday bool
	// Provisional is set when the answer comes from a provisional year
	// (see Calendar.Provisional).
	Provisional bool
	// Holiday is set on a public holiday.
	Holiday bool
	// Adjusted is set on a weekend day worked instead (调休); Name is then
	// the holiday it makes up for.
	Adjusted bool
	Name     Name
}

// Lookup returns what d is in region. When the region has no data for d's
// year the answer counts weekends only and the error wraps ErrNoData.
func (c *Calendar) Lookup(region string, d Date) (Day, error) {
	day, covered := c.lookup(region, d)
	if !covered {
		return day, fmt.Errorf("%w for %s in %d: counting weekends only", ErrNoData, regionName(region), d.Year)
	}
	return day, nil
}

// lookup is Lookup without building an error, for the hot paths.
func (c *Calendar) lookup(region string, d Date) (day Day, covered bool) {
	years := c.regions[region]
	// A notice may name days of the neighbouring years (a New Year break
	// from December 31st), so they are looked for there too.
	for _, y := range [...]int{d.Year, d.Year + 1, d.Year - 1} {
		if data, ok := years[y]; ok {
			if e, ok := data.days[d]; ok {
				return Day{Date: d, Workday: e.workday, Holiday: !e.workday, Adjusted: e.workday, Name: e.name, Provisional: data.provisional}, true
			}
		}
	}
	wd := d.Weekday()
	data, covered := years[d.Year]
	return Day{Date: d, Workday: wd != time.Saturday && wd != time.Sunday, Provisional: covered && data.provisional}, covered
}

func regionName(r string) string {
	if r == "" {
		return "no region"
	}
	return "region " + r
}

// IsWorkday reports whether d is a working day in region (weekends only
// where there is no data).
func (c *Calendar) IsWorkday(region string, d Date) bool {
	day, _ := c.lookup(region, d)
	return day.Workday
}

// Holiday returns the name of the public holiday on d in region.
func (c *Calendar) Holiday(region string, d Date) (Name, bool) {
	day, _ := c.lookup(region, d)
	if !day.Holiday {
		return Name{}, false
	}
	return day.Name, true
}

// maxDaysOff bounds the search for a working day. Valid data always has one
// within a few weeks; the bound only keeps a pathological override from
// looping forever.
const maxDaysOff = 366

// NextWorkday returns the first working day after d in region.
func (c *Calendar) NextWorkday(region string, d Date) Date {
	for range maxDaysOff {
		d = d.AddDays(1)
		if c.IsWorkday(region, d) {
			return d
		}
	}
	return d
}
