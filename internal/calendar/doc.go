// Package calendar tells working days from days off, per region: weekends,
// public holidays, and the adjusted working days some countries declare
// (China's 调休: a Saturday or Sunday worked to lengthen a holiday).
//
// The data comes from one YAML file per region and year, embedded from
// data/ (see data/README.md for the format) and loaded by Load, which can
// also read an override file that adds years or replaces them. perfbot ships
// CN 2026 from the State Council's notice (国办发明电〔2025〕7号). CN 2027 is
// not shipped: its notice could not be found when this data was written, and
// dates are never guessed; add it with an override file once it is published.
//
// A region with no data for a year (an unknown region, or a year not yet
// published) falls back to weekends only: Saturday and Sunday off, every
// other day a working day. Lookup reports that case with ErrNoData so that a
// caller can warn, while IsWorkday, Holiday and NextWorkday simply use the
// fallback.
package calendar
