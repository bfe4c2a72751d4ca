package orgfile

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// The file formats orgfile reads and writes.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// ErrUnknownFormat is returned for a format (or file extension) other than
// FormatCSV and FormatXLSX.
var ErrUnknownFormat = errors.New("unknown file format")

// FormatOf returns the format of the file at path from its extension.
func FormatOf(path string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		return FormatCSV, nil
	case ".xlsx":
		return FormatXLSX, nil
	case ".xls":
		// The binary Excel 97 format is a common mistake; say how to fix it.
		return "", fmt.Errorf("%w: %s: .xls is not supported, save it as .xlsx or .csv (UTF-8)", ErrUnknownFormat, path)
	default:
		return "", fmt.Errorf("%w: %s: want .csv or .xlsx", ErrUnknownFormat, path)
	}
}

// checkFormat validates a format given by a caller.
func checkFormat(format string) error {
	if format != FormatCSV && format != FormatXLSX {
		return fmt.Errorf("%w: %q: want %q or %q", ErrUnknownFormat, format, FormatCSV, FormatXLSX)
	}
	return nil
}
