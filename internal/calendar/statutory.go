package calendar

import (
	"fmt"
	"time"

	lunar "github.com/6tail/lunar-go/calendar"
)

// lawCN is where the statutory days off of China come from. Article 2 of
// the measures, as revised in force from 2025-01-01, gives everyone 13 days:
// 元旦 1 (January 1st); 春节 4 (农历除夕 and 正月初一 to 初三); 清明节 1 (the
// day of the solar term 清明); 劳动节 2 (May 1st and 2nd); 端午节 1 (农历五月
// 初五); 中秋节 1 (农历八月十五); 国庆节 3 (October 1st to 3rd).
const lawCN = "《全国年节及纪念日放假办法》第二条 (2024-11-10 修订, 国务院令第795号, 2025-01-01 施行)"

// lawCNSince is the first year the revised article 2 governs.
const lawCNSince = 2025

// Holiday names as the shipped notices name them, so that a provisional
// year reads like a published one.
var (
	nameNewYear    = Name{EN: "New Year's Day", ZH: "元旦"}
	nameSpring     = Name{EN: "Spring Festival", ZH: "春节"}
	nameQingming   = Name{EN: "Qingming Festival", ZH: "清明节"}
	nameLabour     = Name{EN: "Labour Day", ZH: "劳动节"}
	nameDragonBoat = Name{EN: "Dragon Boat Festival", ZH: "端午节"}
	nameMidAutumn  = Name{EN: "Mid-Autumn Festival", ZH: "中秋节"}
	nameNational   = Name{EN: "National Day", ZH: "国庆节"}
)

// statutoryCN returns China's year y made of the law's statutory days
// alone, marked provisional. It is what the State Council's notice for y
// will start from, not the notice: that notice also moves days off next to
// weekends and has Saturdays or Sundays worked (调休), and gives a weekday
// for a statutory day on a weekend (补假), and none of that can be computed.
// The lunar dates and the solar term come from lunar-go's astronomical
// computation (寿星万年历), in Beijing time, as the Chinese calendar is
// defined (GB/T 33661-2017).
func statutoryCN(y int) (*year, error) {
	if y < lawCNSince {
		return nil, fmt.Errorf("calendar: %d is before the statutory days of %s", y, lawCN)
	}
	data := &year{
		region: "CN", year: y, provisional: true, days: map[Date]day{},
		source: fmt.Sprintf("provisional: the statutory days of %s, lunar dates computed; no 调休 or 补假 until the State Council publishes %d", lawCN, y),
	}
	add := func(name Name, from Date, n int) {
		for i := range n {
			data.days[from.AddDays(i)] = day{name: name}
		}
	}
	add(nameNewYear, Date{y, 1, 1}, 1)
	// 除夕 is the last day of the twelfth month of the lunar year before,
	// the 29th or the 30th: the day before 正月初一.
	add(nameSpring, lunarDate(y, 1, 1).AddDays(-1), 4)
	add(nameQingming, qingming(y), 1)
	add(nameLabour, Date{y, 5, 1}, 2)
	add(nameDragonBoat, lunarDate(y, 5, 5), 1)
	add(nameMidAutumn, lunarDate(y, 8, 15), 1)
	add(nameNational, Date{y, 10, 1}, 3)
	return data, nil
}

// lunarDate returns the Gregorian date of day d of month m (not a leap
// month) of lunar year y.
func lunarDate(y, m, d int) Date {
	s := lunar.NewLunarFromYmd(y, m, d).GetSolar()
	return Date{s.GetYear(), time.Month(s.GetMonth()), s.GetDay()}
}

// qingming returns the day of the solar term 清明 in year y: when the sun
// reaches 15° of ecliptic longitude, early in April, in Beijing time.
func qingming(y int) Date {
	// lunar-go tables the solar terms of the lunar year of the day it is
	// given: mid-April is always in the lunar year that begins in y.
	s := lunar.NewSolarFromYmd(y, 4, 15).GetLunar().GetJieQiTable()["清明"]
	return Date{s.GetYear(), time.Month(s.GetMonth()), s.GetDay()}
}
