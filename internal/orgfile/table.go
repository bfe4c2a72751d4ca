package orgfile

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// table is a spreadsheet as orgfile sees it: a header and rows of text. The
// import reads one and the export writes one, in either format, so CSV and
// XLSX differ only in how cells are encoded.
type table struct {
	// name is the sheet's name when written as XLSX.
	name       string
	header     []string
	headerLine int
	rows       []row
}

// row is one row of a table.
type row struct {
	// line is where the row is in the file it was read from (see
	// RowError.Line); 0 for rows being written.
	line  int
	cells []string
}

// cell returns the i-th cell of r, or "" past its end: trailing empty cells
// are often left out, by excelize and by hand-written CSV alike.
func (r row) cell(i int) string {
	if i < 0 || i >= len(r.cells) {
		return ""
	}
	return r.cells[i]
}

// readTable reads the first sheet of a file in format. Cells are trimmed
// and blank rows dropped (spreadsheets are full of them); the first row left
// is the header.
func readTable(r io.Reader, format string) (table, error) {
	var (
		rows []row
		err  error
	)
	switch format {
	case FormatCSV:
		rows, err = readCSV(r)
	case FormatXLSX:
		rows, err = readXLSX(r)
	default:
		err = checkFormat(format)
	}
	if err != nil {
		return table{}, err
	}
	for i := range rows {
		for j, c := range rows[i].cells {
			// TrimSpace also drops the no-break and ideographic spaces
			// that pasting from Word or a Chinese IME leaves behind.
			rows[i].cells[j] = strings.TrimSpace(c)
		}
	}
	rows = slices.DeleteFunc(rows, func(r row) bool {
		return !slices.ContainsFunc(r.cells, func(c string) bool { return c != "" })
	})
	if len(rows) == 0 {
		return table{}, &RowErrors{Errors: []RowError{{Line: 1, Message: msgEmpty}}}
	}
	return table{header: rows[0].cells, headerLine: rows[0].line, rows: rows[1:]}, nil
}

// writeTable writes t as a file in format.
func writeTable(w io.Writer, format string, t table) error {
	switch format {
	case FormatCSV:
		return writeCSV(w, t)
	case FormatXLSX:
		return writeXLSX(w, t)
	default:
		return fmt.Errorf("write: %w", checkFormat(format))
	}
}
