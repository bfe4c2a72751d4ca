package orgfile

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// lines returns the line of each row of t, header first.
func lines(t table) []int {
	l := []int{t.headerLine}
	for _, r := range t.rows {
		l = append(l, r.line)
	}
	return l
}

func TestReadCSV(t *testing.T) {
	in := "\uFEFFEmail,Name,goals\r\n" +
		"li.wei@example.com,李伟,\"Ship v2;Close deals=10\"\r\n" +
		"\r\n" + // a blank line in the middle
		"anna@example.com,\"Schmidt, Anna\",\"first line\r\nsecond, line\"\r\n" +
		",,\r\n" + // a row Excel left with only separators
		"marcus@example.com,  Marcus Johnson  \r\n" + // short row, padded spaces
		"\r\n\r\n"
	tab, err := readTable(strings.NewReader(in), FormatCSV)
	require.NoError(t, err)
	require.Equal(t, []string{"Email", "Name", "goals"}, tab.header, "the BOM is not part of the first column's name")
	require.Equal(t, []int{1, 2, 4, 7}, lines(tab), "physical lines, a quoted newline counting")
	require.Equal(t, []string{"li.wei@example.com", "李伟", "Ship v2;Close deals=10"}, tab.rows[0].cells)
	require.Equal(t, []string{"anna@example.com", "Schmidt, Anna", "first line\nsecond, line"}, tab.rows[1].cells)
	require.Equal(t, "Marcus Johnson", tab.rows[2].cell(1))
	require.Equal(t, "", tab.rows[2].cell(2), "missing trailing cells read as empty")
}

func TestReadCSVSemicolons(t *testing.T) {
	tab, err := readTable(strings.NewReader("email;name;roles\nanna@example.com;Anna;\"manager;hr\"\n"), FormatCSV)
	require.NoError(t, err)
	require.Equal(t, []string{"email", "name", "roles"}, tab.header)
	require.Equal(t, []string{"anna@example.com", "Anna", "manager;hr"}, tab.rows[0].cells)
}

func TestReadCSVErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		line     int
		message  string
	}{
		{"empty", "\r\n \r\n", 1, "empty"},
		{"bad quote", "email,name\na@example.com,\"Anna\nb@example.com,Bob\n", 2, "not valid CSV"},
		{"bare quote", "email,name\na@example.com,An\"na\n", 2, "not valid CSV"},
		// "李伟" in GBK, as an older Excel saves it.
		{"not utf-8", "email,name\nli.wei@example.com,\xc0\xee\xce\xb0\n", 2, "UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readTable(strings.NewReader(tc.in), FormatCSV)
			var re *RowErrors
			require.ErrorAs(t, err, &re)
			require.Len(t, re.Errors, 1)
			require.Equal(t, tc.line, re.Errors[0].Line)
			require.Contains(t, re.Errors[0].Message, tc.message)
		})
	}
}

func TestReadXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	require.NoError(t, f.SetSheetName("Sheet1", "员工"))
	set := func(cell string, v any) { require.NoError(t, f.SetCellValue("员工", cell, v)) }
	set("A1", "email")
	set("B1", "name")
	set("C1", "dingtalk")
	set("A2", "li.wei@example.com")
	set("B2", " 李伟 ")
	set("C2", 1234567890123456) // an id typed as a number
	// Rows 3 and 4 are blank.
	set("A5", "anna@example.com")
	set("B5", "Anna Schmidt")
	// A second sheet is not read.
	_, err := f.NewSheet("Notes")
	require.NoError(t, err)
	require.NoError(t, f.SetCellValue("Notes", "A1", "not a column"))
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))

	tab, err := readTable(&buf, FormatXLSX)
	require.NoError(t, err)
	require.Equal(t, []string{"email", "name", "dingtalk"}, tab.header)
	require.Equal(t, []int{1, 2, 5}, lines(tab), "sheet row numbers")
	require.Equal(t, []string{"li.wei@example.com", "李伟", "1234567890123456"}, tab.rows[0].cells)
	require.Equal(t, "Anna Schmidt", tab.rows[1].cell(1))

	_, err = readTable(strings.NewReader("email,name\n"), FormatXLSX)
	require.Error(t, err, "a CSV is not a workbook")
}

func TestReadUnknownFormat(t *testing.T) {
	_, err := readTable(strings.NewReader("email,name\n"), "json")
	require.True(t, errors.Is(err, ErrUnknownFormat))
}

func TestEscapeFormula(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://evil\")": "'=HYPERLINK(\"http://evil\")",
		"+1":                          "'+1",
		"-2+3":                        "'-2+3",
		"@SUM(A1)":                    "'@SUM(A1)",
		"\t=1":                        "'\t=1",
		"\r=1":                        "'\r=1",
		"":                            "",
		"fixed the build":             "fixed the build",
		"a=b":                         "a=b",
		"2026-W48":                    "2026-W48",
	} {
		require.Equal(t, want, escapeFormula(in), "%q", in)
	}
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, writeTable(&buf, FormatCSV, table{
		header: []string{"email", "done"},
		rows: []row{
			{cells: []string{"a@example.com", "=1+1"}},
			{cells: []string{"b@example.com", "修好了, \"quoted\"\nand more"}},
		},
	}))
	require.Equal(t, "email,done\n"+
		"a@example.com,'=1+1\n"+
		"b@example.com,\"修好了, \"\"quoted\"\"\nand more\"\n", buf.String())
}
