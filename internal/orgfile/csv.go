package orgfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// The problems of a file too broken to read, which a goal import tells in
// the operator's language (goalTexts.file).
const (
	msgNotUTF8 = `the file is not UTF-8 text; in Excel use "Save As" → "CSV UTF-8"`
	msgEmpty   = "the file is empty; its first row must name the columns"
	msgBadCSV  = "not valid CSV: "
)

// utf8BOM starts the CSV files Excel saves as "CSV UTF-8".
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readCSV reads every record of a CSV file with its physical line number, so
// a quoted cell spanning lines does not shift the numbers HR is told.
func readCSV(r io.Reader) ([]row, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	cr := csv.NewReader(br)
	cr.Comma = sniffComma(br)
	cr.FieldsPerRecord = -1 // short rows are padded by row.cell; long ones checked by the caller
	var rows []row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// The row's first line, where an unclosed quote was opened.
			msg := msgBadCSV + pe.Err.Error()
			if pe.Line != pe.StartLine {
				msg += fmt.Sprintf(" (found on line %d)", pe.Line)
			}
			return nil, &RowErrors{Errors: []RowError{{Line: pe.StartLine, Message: msg}}}
		}
		if err != nil {
			return nil, fmt.Errorf("read CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		for _, c := range rec {
			if !utf8.ValidString(c) {
				// Almost always a file saved in GBK or Latin-1 by an
				// older Excel; every later row would fail the same way.
				return nil, &RowErrors{Errors: []RowError{{Line: line, Message: msgNotUTF8}}}
			}
		}
		rows = append(rows, row{line: line, cells: rec})
	}
}

// sniffComma returns the separator of the file in br: a comma, or the
// semicolon that Excel uses where the comma is the decimal separator (much of
// Europe). Only the header line is looked at, and a semicolon only wins when
// it has no comma, because roles and goals hold semicolons inside cells.
func sniffComma(br *bufio.Reader) rune {
	b, _ := br.Peek(br.Size()) // a short file gives what there is, with io.EOF
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	if !bytes.Contains(b, []byte{','}) && bytes.Contains(b, []byte{';'}) {
		return ';'
	}
	return ','
}

// writeCSV writes t as CSV, defusing formulas (see escapeFormula).
func writeCSV(w io.Writer, t table) error {
	cw := csv.NewWriter(w)
	record := make([]string, len(t.header))
	write := func(cells []string) error {
		record = record[:0]
		for _, c := range cells {
			record = append(record, escapeFormula(c))
		}
		return cw.Write(record)
	}
	if err := write(t.header); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	for _, r := range t.rows {
		if err := write(r.cells); err != nil {
			return fmt.Errorf("write CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// escapeFormula guards against CSV (formula) injection: Excel and WPS run a
// cell that starts with =, +, -, @, tab or carriage return as a formula, and
// check-in answers are typed by anyone. A leading apostrophe makes the cell
// text; the cost is a visible apostrophe before answers like "- fixed it".
func escapeFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
