package orgfile

import (
	"fmt"
	"io"
)

// WriteSheet writes one table, header then rows, as a file in format
// (FormatCSV or FormatXLSX), name being the XLSX sheet's: the dashboard's
// downloads are written as the exports are, formulas escaped in CSV.
func WriteSheet(w io.Writer, format, name string, header []string, rows [][]string) error {
	t := table{name: name, header: header, rows: make([]row, len(rows))}
	for i, r := range rows {
		t.rows[i] = row{cells: r}
	}
	if err := writeTable(w, format, t); err != nil {
		return fmt.Errorf("orgfile: sheet %q: %w", name, err)
	}
	return nil
}
