package calendar

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzParse reads a holiday data file as an admin may write one: refused
// with a FileError naming the file, or years whose every day is a real
// date in or next to its year, and whose working days fall on weekends.
func FuzzParse(f *testing.F) {
	cn, err := os.ReadFile("data/CN-2026.yaml")
	require.NoError(f, err)
	f.Add(cn)
	for _, s := range []string{
		"region: CN\nyear: 2026\nsource: x\nholidays:\n  - name: {en: A, zh-CN: 甲}\n    from: 2026-10-01\n    to: 2026-10-07\nworkdays:\n  - date: 2026-09-20\n    name: {en: A, zh-CN: 甲}\n",
		"region: CN\nyear: 2026\nsource: x\nholidays: []\n---\nregion: CN\nyear: 2026\nsource: y\nholidays: []\n",
		"region: cn\nyear: 1969\nsource: x\nholidays: {}\n", "region: US-CA\nyear: 2027\nsource: x\nholidays:\n  - name: {en: A}\n    from: 2027-02-30\n",
		"region: CN\nyear: 2026\nsource: x\nholidays:\n  - name: {en: A, zh-CN: B}\n    from: 2026-01-01\n    to: 2026-03-01\n",
		"a: &a [*a]", "", "---\n", "\t", "region: [CN]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		years, err := parse("x.yaml", bytes.NewReader(data))
		if err != nil {
			require.Nil(t, years)
			require.ErrorIs(t, err, ErrBadData)
			var fe *FileError
			require.True(t, errors.As(err, &fe))
			require.Equal(t, "x.yaml", fe.File)
			require.NotEmpty(t, fe.Msg)
			return
		}
		require.NotEmpty(t, years)
		for _, y := range years {
			require.Regexp(t, regionPattern, y.region)
			require.GreaterOrEqual(t, y.year, 1970)
			require.LessOrEqual(t, y.year, 2200)
			require.NotEmpty(t, y.source)
			for d, day := range y.days {
				again, err := ParseDate(d.String())
				require.NoError(t, err)
				require.Equal(t, d, again, "a real date")
				require.True(t, inRange(d, y.year), "%s in %d", d, y.year)
				require.NotEmpty(t, day.name.EN)
				require.NotEmpty(t, day.name.ZH)
				if day.workday {
					require.Contains(t, []time.Weekday{time.Saturday, time.Sunday}, d.Weekday())
				}
			}
		}
	})
}
