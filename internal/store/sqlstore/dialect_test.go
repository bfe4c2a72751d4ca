package sqlstore

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRebind(t *testing.T) {
	tests := []struct{ in, postgres string }{
		{"SELECT 1", "SELECT 1"},
		{"WHERE a = ?", "WHERE a = $1"},
		{"VALUES (?, ?, ?)", "VALUES ($1, $2, $3)"},
		{"a = ? AND b IN (?, ?) LIMIT ?", "a = $1 AND b IN ($2, $3) LIMIT $4"},
		{"?", "$1"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.postgres, postgres.rebind(tt.in))
		require.Equal(t, tt.in, sqliteDialect.rebind(tt.in), "SQLite keeps ?")
	}
	many := ""
	for range 12 {
		many += "?,"
	}
	require.Equal(t, "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,", postgres.rebind(many))
}
