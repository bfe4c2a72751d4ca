package orgfile_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/internal/orgfile"
)

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]string{
		"org.csv":             orgfile.FormatCSV,
		"/tmp/员工名单.CSV":       orgfile.FormatCSV,
		"HR export 2026.xlsx": orgfile.FormatXLSX,
	} {
		got, err := orgfile.FormatOf(path)
		require.NoError(t, err, path)
		require.Equal(t, want, got, path)
	}
	for _, path := range []string{"org.xls", "org.json", "org"} {
		_, err := orgfile.FormatOf(path)
		require.ErrorIs(t, err, orgfile.ErrUnknownFormat, path)
	}
}
