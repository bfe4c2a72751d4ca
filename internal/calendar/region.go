package calendar

// zoneRegions maps the IANA time zones of regions perfbot has data for to
// the region. People carry a time zone but no region yet, so the zone is
// the best hint; a person abroad keeps their home zone's calendar only if
// they keep its time zone.
var zoneRegions = map[string]string{
	"Asia/Shanghai":  "CN",
	"Asia/Chongqing": "CN",
	"Asia/Chungking": "CN",
	"Asia/Harbin":    "CN",
	"Asia/Urumqi":    "CN",
	"Asia/Kashgar":   "CN",
	"PRC":            "CN",
}

// RegionOf returns the region whose calendar a person in time zone tz
// follows, or "" (weekends only) for a zone of a region without data.
func RegionOf(tz string) string { return zoneRegions[tz] }
