package orgfile

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// maxRowErrors bounds how many problems [RowErrors] lists: enough to fix a
// file in one go, few enough to read in a terminal.
const maxRowErrors = 50

// RowError is one problem in an imported file.
type RowError struct {
	// Line is where the problem is: the physical line of a CSV file or the
	// row number of an XLSX sheet, the header being line 1.
	Line int
	// Column is the column's name (lower case, as in FORMAT.md); empty when
	// the problem is with the whole row or file.
	Column  string
	Message string
}

func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, e.Message)
}

// RowErrors is every problem found in an imported file, by line. When a file
// has any, [Import] writes nothing.
type RowErrors struct {
	Errors []RowError
	// More counts the problems found beyond those in Errors.
	More int
}

func (e *RowErrors) Error() string {
	if len(e.Errors) == 1 && e.More == 0 {
		return e.Errors[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d problems in the file:", len(e.Errors)+e.More)
	for _, re := range e.Errors {
		b.WriteString("\n  ")
		b.WriteString(re.Error())
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n  and %d more", e.More)
	}
	return b.String()
}

// problems collects RowErrors while a file is checked.
type problems struct {
	list []RowError
}

func (p *problems) add(line int, column, format string, args ...any) {
	p.list = append(p.list, RowError{Line: line, Column: column, Message: fmt.Sprintf(format, args...)})
}

// err returns the problems found, ordered by line and capped, or nil. The
// checks run in several passes, so problems are not found in line order.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	list := slices.Clone(p.list)
	slices.SortStableFunc(list, func(a, b RowError) int { return cmp.Compare(a.Line, b.Line) })
	more := max(len(list)-maxRowErrors, 0)
	return &RowErrors{Errors: list[:len(list)-more], More: more}
}
