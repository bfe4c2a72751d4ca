// Package calendar tells working days from days off, per region: weekends,
// public holidays, and the adjusted working days some countries declare
// (China's 调休: a Saturday or Sunday worked to lengthen a holiday).
//
// The data comes from one YAML file per region and year, embedded from
// data/ (see data/README.md for the format) and loaded by Load, which can
// also read an override file that adds years or replaces them. perfbot ships
// CN 2026 from the State Council's notice (国办发明电〔2025〕7号).
//
// CN 2027's notice could not be found when this data was written, so 2027
// is provisional: the 13 statutory days off of 《全国年节及纪念日放假办法》
// (as revised in force from 2025), their lunar and solar-term dates computed
// (see statutoryCN), and nothing the notice adds: no adjusted working days
// (调休) and no weekday for a holiday on a weekend (补假), which only the
// notice decides. That is closer to the year to come than weekends only, and
// Provisional and Day.Provisional say so, for callers to tell the operator.
// The published year replaces it whole: loaded from an override file, or
// shipped as data/CN-2027.yaml.
//
// A region with no data for a year (an unknown region, or a year not yet
// published) falls back to weekends only: Saturday and Sunday off, every
// other day a working day. Lookup reports that case with ErrNoData so that a
// caller can warn, while IsWorkday, Holiday and NextWorkday simply use the
// fallback.
package calendar
