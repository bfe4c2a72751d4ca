package orgfile

import (
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads every row of the first sheet of an XLSX workbook, numbered
// as the sheet numbers them.
func readXLSX(r io.Reader) (rows []row, err error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("read XLSX: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("read XLSX: %w", cerr)
		}
	}()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("read XLSX: the workbook has no sheet")
	}
	// Raw values keep ids typed as numbers intact (no "1.23457E+12"); no
	// column of the file is a date, so formatting has nothing to add.
	cells, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("read XLSX sheet %q: %w", sheets[0], err)
	}
	// GetRows keeps blank rows in the middle, so the index is the row number.
	rows = make([]row, len(cells))
	for i, c := range cells {
		rows[i] = row{line: i + 1, cells: c}
	}
	return rows, nil
}

// writeXLSX writes t as a workbook of one sheet, streaming its rows. The
// header is bold and stays in view when scrolling. Every cell is an inline
// string, which Excel and WPS show as typed and never evaluate, so unlike CSV
// the text needs no escaping.
func writeXLSX(w io.Writer, t table) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("write XLSX: %w", cerr)
		}
	}()
	if err := f.SetSheetName(f.GetSheetName(0), t.name); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	sw, err := f.NewStreamWriter(t.name)
	if err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	values := make([]any, len(t.header))
	for i, h := range t.header {
		values[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", values); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	for i, r := range t.rows {
		values = values[:0]
		for _, c := range r.cells {
			var v any // nil leaves the cell out, rather than writing ""
			if c != "" {
				v = c
			}
			values = append(values, v)
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return fmt.Errorf("write XLSX: %w", err)
		}
		if err := sw.SetRow(cell, values); err != nil {
			return fmt.Errorf("write XLSX: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	return nil
}
